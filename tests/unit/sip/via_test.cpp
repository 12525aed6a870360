#include "sip/msg/cseq.hpp"
#include "sip/msg/via.hpp"

#include <gtest/gtest.h>

namespace portier::sip::msg {
namespace {

TEST(Via, Typical) {
  auto v = parse_via("SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK776asdhds;rport");
  ASSERT_TRUE(v) << v.error().what();
  EXPECT_EQ(v->transport, "UDP");
  EXPECT_EQ(v->host, "192.0.2.1");
  EXPECT_EQ(v->port, 5062);
  EXPECT_EQ(v->branch(), "z9hG4bK776asdhds");
  EXPECT_TRUE(v->rfc3261_branch());
  EXPECT_TRUE(v->has_rport());
  EXPECT_FALSE(v->received());
}

TEST(Via, SpacesAroundSlashesAndIpv6) {
  auto v = parse_via("SIP / 2.0 / TCP   [2001:db8::1]:5070 ; branch=z9hG4bKx ; received=10.0.0.1");
  ASSERT_TRUE(v) << v.error().what();
  EXPECT_EQ(v->transport, "TCP");
  EXPECT_EQ(v->host, "[2001:db8::1]");
  EXPECT_EQ(v->port, 5070);
  EXPECT_EQ(v->received().value_or(""), "10.0.0.1");
}

TEST(Via, Rfc2543BranchlessIsAccepted) {
  auto v = parse_via("SIP/2.0/UDP host.example");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->port, 0);
  EXPECT_FALSE(v->rfc3261_branch());
}

TEST(Via, Rejects) {
  for (const char* bad : {"", "SIP/2.0", "SIP/2.0/UDP", "SIP/3.0/UDP h", "SIP/2.0/U@P h", "SIP/2.0/UDP h:0",
                          "SIP/2.0/UDP h:99999", "SIP/2.0/UDP h;branch=", "SIP/2.0/UDP h;branch", "SIP/2.0/UDP h h2"}) {
    EXPECT_FALSE(parse_via(bad)) << bad;
  }
}

TEST(CSeq, ParsesAndRejects) {
  auto c = parse_cseq(" 4711   REGISTER ");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->number, 4711u);
  EXPECT_EQ(c->method, "REGISTER");
  for (const char* bad : {"", "REGISTER", "1", "-1 INVITE", "2147483648 INVITE", "1 IN VITE", "99999999999 X"}) {
    EXPECT_FALSE(parse_cseq(bad)) << bad;
  }
}

}  // namespace
}  // namespace portier::sip::msg
