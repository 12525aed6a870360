#include "sip/msg/digest_params.hpp"

#include <gtest/gtest.h>

namespace portier::sip::msg {
namespace {

TEST(DigestParams, Credentials) {
  auto d = parse_digest(
      "Digest username=\"101\", realm=\"portier.local\",\r\n nonce=\"abc\\\"def\", uri=\"sip:portier.local\", "
      "response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5, cnonce=\"xyz\", qop=auth, nc=00000001, "
      "opaque=\"op\", foo=bar");
  ASSERT_TRUE(d) << d.error().what();
  EXPECT_EQ(d->username, "101");
  EXPECT_EQ(d->realm, "portier.local");
  EXPECT_EQ(d->nonce, "abc\"def");
  EXPECT_EQ(d->uri, "sip:portier.local");
  EXPECT_EQ(d->algorithm, "MD5");
  EXPECT_EQ(d->qop, "auth");
  EXPECT_EQ(d->nc, "00000001");
  EXPECT_EQ(d->opaque, "op");
  EXPECT_EQ(d->dump().find("0123456789abcdef"), std::string::npos);
}

TEST(DigestParams, ChallengeWithStaleAndQopList) {
  auto d = parse_digest(R"(digest realm="r", nonce="n", qop="auth,auth-int", stale=TRUE, algorithm=SHA-256)");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->stale);
  EXPECT_EQ(d->qop, "auth,auth-int");
  EXPECT_EQ(d->algorithm, "SHA-256");
}

TEST(DigestParams, Rejects) {
  for (const char* bad : {"", "Basic abc=", "Digest realm", "Digest realm=\"open", "Digest realm=a b",
                          "Digest realm=\"a\", realm=\"b\"", "Digest =x", "Digest username=\"x\\\""}) {
    EXPECT_FALSE(parse_digest(bad)) << bad;
  }
  EXPECT_FALSE(parse_digest("Digest nonce=\"" + std::string(2000, 'a') + "\""));
}

// The single-pass list walk: commas count only at top level, empty items are skipped, unknown parameters are
// still validated, and an escape or bracket left open anywhere rejects the whole header.
TEST(DigestParams, ListWalkEdgeCases) {
  auto d = parse_digest("Digest  ,USERNAME=\"a,b\" ,, Realm=\"r\\\\x\", x-list=\"1,2\", stale=\"true\", "
                        "cnonce=\"\", nc=0000000a,");
  ASSERT_TRUE(d) << d.error().what();
  EXPECT_EQ(d->username, "a,b");
  EXPECT_EQ(d->realm, "r\\x");
  EXPECT_TRUE(d->stale);
  EXPECT_EQ(d->cnonce, "");
  EXPECT_EQ(d->nc, "0000000a");
  EXPECT_EQ(d->nonce, "");  // absent
  auto escaped_stale = parse_digest(R"(Digest stale="tr\ue")");
  ASSERT_TRUE(escaped_stale);
  EXPECT_TRUE(escaped_stale->stale);
  EXPECT_FALSE(parse_digest(R"(Digest stale=false)")->stale);
  for (const char* bad : {"Digest realm=\"a\\", "Digest realm=\"a\", foo=<x", "Digest foo=\"x, realm=\"r\"",
                          "Digest foo=a b, realm=\"r\"", "Digest stale=true, stale=false", "Digest realm=\"a\"b\"",
                          "Digest nc=1, NC=2", "Digest realm=\"r\",", "Digest realm=\"r\", ="}) {
    if (std::string_view(bad) == "Digest realm=\"r\",") {
      EXPECT_TRUE(parse_digest(bad)) << bad;  // a trailing comma leaves only an empty item
      continue;
    }
    EXPECT_FALSE(parse_digest(bad)) << bad;
  }
  const std::string long_value = "Digest opaque=\"" + std::string(kMaxDigestValue, 'o') + "\"";
  ASSERT_TRUE(parse_digest(long_value));
  EXPECT_EQ(parse_digest(long_value)->opaque.size(), kMaxDigestValue);
  EXPECT_FALSE(parse_digest("Digest opaque=\"" + std::string(kMaxDigestValue + 1, 'o') + "\""));
}

TEST(DigestParams, QuoteEscapes) { EXPECT_EQ(quote(R"(a"b\c)"), R"("a\"b\\c")"); }

}  // namespace
}  // namespace portier::sip::msg
