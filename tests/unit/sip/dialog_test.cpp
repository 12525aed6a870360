// Dialog state from requests and responses (RFC 3261 §12) and session-timer parsing (RFC 4028).
#include "sip/ua/dialog.hpp"

#include <gtest/gtest.h>

#include "sip/msg/parser.hpp"
#include "sip/ua/session_timer.hpp"
#include "unit/sip/sip_text.hpp"

namespace portier::sip::ua {
namespace {

TEST(Dialog, UasFromInvite) {
  const auto text = test::crlf(
      "INVITE sip:door@portier.local SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKx\n"
      "From: <sip:101@portier.local>;tag=r\nTo: <sip:door@portier.local>\nCall-ID: c\nCSeq: 7 INVITE\n"
      "Contact: \"Hall\" <sip:101@192.0.2.10:5062;ob>\nRecord-Route: <sip:a;lr>\nContent-Length: 0\n\n");
  auto m = msg::parse_message(text);
  ASSERT_TRUE(m);
  auto d = Dialog::create_uas(*m, "l", "<sip:door@127.0.0.1>", txn::Peer{});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->key(), "c|l|r");
  EXPECT_EQ(d->remote_target(), "sip:101@192.0.2.10:5062;ob");
  EXPECT_EQ(d->remote_cseq(), 7u);
  EXPECT_EQ(d->local_party(), "<sip:door@portier.local>;tag=l");
  EXPECT_FALSE(d->accept_remote_cseq(7));
  EXPECT_TRUE(d->accept_remote_cseq(8));
  auto req = d->make_request("BYE").serialize();
  EXPECT_NE(req.find("CSeq: 1 BYE"), std::string::npos);
  EXPECT_NE(req.find("Route: <sip:a;lr>"), std::string::npos);
}

TEST(Dialog, UasNeedsContact) {
  const auto text = test::crlf(
      "INVITE sip:door@portier.local SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKx\n"
      "From: <sip:101@portier.local>;tag=r\nTo: <sip:door@portier.local>\nCall-ID: c\nCSeq: 7 INVITE\n"
      "Content-Length: 0\n\n");
  auto m = msg::parse_message(text);
  EXPECT_FALSE(Dialog::create_uas(*m, "l", "<sip:door@127.0.0.1>", txn::Peer{}));
}

TEST(SessionTimer, Parse) {
  auto se = parse_session_expires("1800 ; refresher=UAS");
  ASSERT_TRUE(se);
  EXPECT_EQ(se->seconds, 1800u);
  EXPECT_EQ(se->refresher, Refresher::uas);
  EXPECT_FALSE(parse_session_expires("soon"));
  EXPECT_EQ(format_session_expires(SessionExpires{90, Refresher::uac}), "90;refresher=uac");
  EXPECT_EQ(expire_after(90).count(), 60);
  EXPECT_EQ(expire_after(1800).count(), 1768);
  EXPECT_EQ(refresh_after(1800).count(), 900);
}

}  // namespace
}  // namespace portier::sip::ua
