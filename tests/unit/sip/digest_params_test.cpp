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

TEST(DigestParams, QuoteEscapes) { EXPECT_EQ(quote(R"(a"b\c)"), R"("a\"b\\c")"); }

}  // namespace
}  // namespace portier::sip::msg
