#include "sip/msg/message_builder.hpp"

#include <gtest/gtest.h>

#include "sip/msg/parser.hpp"
#include "unit/sip/sip_text.hpp"

namespace portier::sip::msg {
namespace {

TEST(MessageBuilder, ResponseCopiesDialogHeadersAndAddsTag) {
  const auto text = test::crlf(
      "OPTIONS sip:h SIP/2.0\n"
      "Via: SIP/2.0/UDP a;branch=z9hG4bK1;rport, SIP/2.0/UDP b;branch=z9hG4bK2\n"
      "Via: SIP/2.0/UDP c;branch=z9hG4bK3\n"
      "From: <sip:x@h>;tag=f\nTo: <sip:h>\nCall-ID: cid\nCSeq: 3 OPTIONS\n\n");
  auto req = parse_message(text);
  ASSERT_TRUE(req);
  const auto out = make_response(*req, 200, {}, "t1", "SIP/2.0/UDP a;branch=z9hG4bK1;rport=5060;received=1.2.3.4")
                       .add("Allow", "OPTIONS, REGISTER")
                       .serialize();
  auto resp = parse_message(out);
  ASSERT_TRUE(resp) << resp.error().what();
  ASSERT_TRUE(validate_response(*resp));
  EXPECT_EQ(resp->status(), 200);
  EXPECT_EQ(resp->reason(), "OK");
  auto vias = resp->vias();
  ASSERT_EQ(vias->size(), 3u);
  EXPECT_EQ((*vias)[0].received().value_or(""), "1.2.3.4");
  EXPECT_EQ((*vias)[1].host, "b");
  EXPECT_EQ(resp->to()->tag(), "t1");
  EXPECT_EQ(resp->call_id(), "cid");
  EXPECT_EQ(resp->header(HeaderId::content_length), "0");
}

TEST(MessageBuilder, RequestWithBodyAndSet) {
  auto b = MessageBuilder::request("MESSAGE", "sip:a@h");
  b.add("Via", "SIP/2.0/UDP x;branch=z9hG4bKq").add("From", "<sip:me@h>;tag=1").add("To", "<sip:a@h>");
  b.add("Call-ID", "c").add("CSeq", "1 MESSAGE").add("Max-Forwards", "70").set("Max-Forwards", "69");
  b.body("text/plain", "hi");
  const auto text = b.serialize();
  auto m = parse_message(text);
  ASSERT_TRUE(m);
  EXPECT_TRUE(validate_request(*m));
  EXPECT_EQ(m->body(), "hi");
  EXPECT_EQ(m->header(HeaderId::max_forwards), "69");
  EXPECT_EQ(m->count(HeaderId::max_forwards), 1u);
}

TEST(MessageBuilder, ExistingToTagKept) {
  const auto text = test::crlf(
      "BYE sip:h SIP/2.0\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\nFrom: <sip:x@h>;tag=f\nTo: <sip:h>;tag=keep\n"
      "Call-ID: c\nCSeq: 2 BYE\n\n");
  auto req = parse_message(text);
  auto out = make_response(*req, 481, {}, "new").serialize();
  auto resp = parse_message(out);
  EXPECT_EQ(resp->to()->tag(), "keep");
  EXPECT_EQ(resp->reason(), "Call/Transaction Does Not Exist");
}

}  // namespace
}  // namespace portier::sip::msg
