#include "sip/msg/parser.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

#include "unit/sip/sip_text.hpp"

namespace portier::sip::msg {
namespace {

using test::crlf;

TEST(Parser, Register) {
  const auto text = crlf(test::kRegister);
  auto m = parse_message(text);
  ASSERT_TRUE(m) << m.error().what();
  EXPECT_TRUE(m->is_request());
  EXPECT_EQ(m->method(), "REGISTER");
  EXPECT_EQ(m->request_uri(), "sip:portier.local");
  EXPECT_EQ(m->call_id(), "reg-call-1@192.0.2.10");
  EXPECT_EQ(m->cseq()->number, 1u);
  EXPECT_EQ(m->from()->tag(), "fromtag");
  EXPECT_EQ(m->to()->tag(), "");
  EXPECT_EQ(m->top_via()->branch(), "z9hG4bKreg1");
  EXPECT_EQ(*m->max_forwards().value(), 70u);
  auto contacts = m->contacts();
  ASSERT_TRUE(contacts);
  ASSERT_EQ(contacts->contacts.size(), 1u);
  EXPECT_EQ(contacts->contacts[0].param("expires").value_or(""), "3600");
  EXPECT_TRUE(m->body().empty());
  EXPECT_TRUE(validate_request(*m));
  EXPECT_EQ(m->raw().size(), text.size());
}

TEST(Parser, ResponseWithBodyAndCompactHeaders) {
  const auto text = crlf(
      "SIP/2.0 200 OK\n"
      "v: SIP/2.0/TCP h1;branch=z9hG4bK1, SIP/2.0/UDP h2;branch=z9hG4bK2\n"
      "f: <sip:a@h>;tag=1\n"
      "t: <sip:b@h>;tag=2\n"
      "i: abc\n"
      "CSeq: 7 INVITE\n"
      "m: <sip:b@h3>\n"
      "c: application/sdp\n"
      "l: 5\n"
      "\n"
      "v=0\nTRAILING");
  auto m = parse_message(text);
  ASSERT_TRUE(m) << m.error().what();
  EXPECT_EQ(m->status(), 200);
  EXPECT_EQ(m->reason(), "OK");
  EXPECT_EQ(m->body(), "v=0\r\n");
  EXPECT_EQ(m->header(HeaderId::content_type), "application/sdp");
  EXPECT_EQ(m->header("Content-Type"), "application/sdp");
  EXPECT_EQ(m->header("c"), "application/sdp");
  auto vias = m->vias();
  ASSERT_TRUE(vias);
  ASSERT_EQ(vias->size(), 2u);
  EXPECT_EQ((*vias)[1].host, "h2");
  EXPECT_EQ(m->top_via()->host, "h1");
  EXPECT_TRUE(validate_response(*m));
}

TEST(Parser, MultiValueAcrossLinesKeepsOrder) {
  const auto text = crlf(
      "OPTIONS sip:h SIP/2.0\n"
      "Route: <sip:p1;lr>, <sip:p2;lr>\n"
      "Route: \"x,y\" <sip:p3;lr>\n"
      "Allow: INVITE,ACK , OPTIONS\n"
      "\n");
  auto m = parse_message(text);
  ASSERT_TRUE(m);
  auto routes = m->values(HeaderId::route);
  ASSERT_TRUE(routes);
  ASSERT_EQ(routes->size(), 3u);
  EXPECT_EQ((*routes)[2], "\"x,y\" <sip:p3;lr>");
  auto allow = m->values(HeaderId::allow);
  ASSERT_EQ(allow->size(), 3u);
  EXPECT_EQ((*allow)[1], "ACK");
}

TEST(Parser, UnknownHeaderByName) {
  auto text = crlf("OPTIONS sip:h SIP/2.0\nX-Portier-Door: front\n\n");
  auto m = parse_message(text);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->header("x-portier-door"), "front");
  EXPECT_EQ(m->header("X-Missing"), "");
}

TEST(Parser, LeadingCrlfIgnored) {
  auto text = "\r\n\r\n" + crlf(test::kRegister);
  auto m = parse_message(text);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->method(), "REGISTER");
}

TEST(Parser, Limits) {
  Limits small;
  small.max_message = 100;
  EXPECT_EQ(parse_message(crlf(test::kRegister), small).error().code, make_error_code(portier::errc::too_large));
  Limits few;
  few.max_headers = 3;
  EXPECT_FALSE(parse_message(crlf(test::kRegister), few));
  Limits line;
  line.max_line = 40;
  EXPECT_FALSE(parse_message(crlf(test::kRegister), line));
}

TEST(Validate, MissingOrBrokenMandatoryHeaders) {
  const std::string base(test::kRegister);
  struct Case {
    const char* find;
    const char* replace;
  };
  for (auto c : {Case{"Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKreg1;rport\n", ""},
                 Case{"Call-ID: reg-call-1@192.0.2.10\n", ""}, Case{"CSeq: 1 REGISTER", "CSeq: 1 INVITE"},
                 Case{"CSeq: 1 REGISTER", "CSeq: x REGISTER"}, Case{"To: <sip:101@portier.local>\n", ""},
                 Case{"Max-Forwards: 70", "Max-Forwards: 300"},
                 Case{"From: \"Door 1\" <sip:101@portier.local>;tag=fromtag", "From: <sip:101@portier.local"}}) {
    auto text = base;
    text.replace(text.find(c.find), std::string_view(c.find).size(), c.replace);
    text = test::crlf(text);
    auto m = parse_message(text);
    ASSERT_TRUE(m) << c.find;
    EXPECT_FALSE(validate_request(*m)) << c.find;
  }
}

}  // namespace
}  // namespace portier::sip::msg
