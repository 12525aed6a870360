#include "sip/msg/uri.hpp"

#include <gtest/gtest.h>

namespace portier::sip::msg {
namespace {

TEST(Uri, FullSipUri) {
  auto u = parse_uri("sip:alice:secret@Example.COM:5070;transport=tcp;lr?Subject=hi&Priority=urgent");
  ASSERT_TRUE(u) << u.error().what();
  EXPECT_EQ(u->scheme, "sip");
  EXPECT_EQ(u->user, "alice");
  EXPECT_EQ(u->password, "secret");
  EXPECT_EQ(u->host, "Example.COM");
  EXPECT_EQ(u->port, 5070);
  EXPECT_EQ(u->params, ";transport=tcp;lr");
  EXPECT_EQ(u->param("transport").value_or("?"), "tcp");
  EXPECT_TRUE(u->param("lr").has_value());
  EXPECT_FALSE(u->param("maddr").has_value());
  EXPECT_EQ(u->headers, "Subject=hi&Priority=urgent");
  EXPECT_EQ(u->aor(), "sip:alice@example.com:5070");
}

TEST(Uri, HostOnlyAndIpv6) {
  auto a = parse_uri("sip:127.0.0.1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 0);
  auto b = parse_uri("sips:bob@[2001:db8::10]:5061");
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->is_sips());
  EXPECT_EQ(b->host, "[2001:db8::10]");
  EXPECT_EQ(b->port, 5061);
}

TEST(Uri, EscapedAndTelephoneUser) {
  auto u = parse_uri("sip:%61lice+1;phone-context=x@host");
  ASSERT_TRUE(u) << u.error().what();
  EXPECT_EQ(u->user, "%61lice+1;phone-context=x");
}

TEST(Uri, OtherSchemesAreOpaque) {
  auto u = parse_uri("tel:+1-201-555-0123");
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->is_sip());
  EXPECT_EQ(u->opaque, "+1-201-555-0123");
}

TEST(Uri, Rejects) {
  for (const char* bad : {"", "sip:", ":foo", "sip:@host", "sip:user@", "sip:host:", "sip:host:0", "sip:host:65536",
                          "sip:host:abc", "sip:ho st", "sip:[::1", "sip:[zz]", "sip:-host", "sip:al ice@host",
                          "sip:a%4@host", "sip:host;=x", "sip:host?", "s ip:host", "sip:host;a=\"x"}) {
    EXPECT_FALSE(parse_uri(bad)) << bad;
  }
}

}  // namespace
}  // namespace portier::sip::msg
