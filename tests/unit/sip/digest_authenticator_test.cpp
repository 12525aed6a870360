#include "sip/ua/digest_authenticator.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "sip/msg/parser.hpp"
#include "sip/ua/hmac_sha256.hpp"
#include "sip/ua/in_memory_extension_directory.hpp"
#include "unit/sip/sip_text.hpp"

namespace portier::sip::ua {
namespace {

using namespace std::chrono_literals;

// RFC 4231 test case 2, and keys longer than a block (hashed first) against OpenSSL's one-shot HMAC.
TEST(HmacSha256, Rfc4231AndLongKeysMatchOneShot) {
  HmacSha256 jefe("Jefe");
  EXPECT_EQ(jefe.hex("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(jefe.hex("what do ya want for nothing?", 32), "5bdcc146bf60754e6a042426089575c7");
  EXPECT_EQ(jefe.hex("what do ya want for nothing?"), hmac_sha256_hex("Jefe", "what do ya want for nothing?"));
  const std::string long_key(131, '\xaa');
  HmacSha256 keyed(long_key);
  for (const std::string data : {"", "a", "Test Using Larger Than Block-Size Key - Hash Key First"})
    EXPECT_EQ(keyed.hex(data), hmac_sha256_hex(long_key, data));
  EXPECT_EQ(keyed.hex("Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

// Nonces: 16 hex digits of issue time (ms), 8 of sequence index, 8 random, 32 of MAC. The random digits come from a
// pool refilled every 128 nonces: across refills they must stay distinct, and every part is covered by the MAC.
TEST(NonceFactory, LayoutRandomnessAcrossPoolRefillsAndMacCoverage) {
  FakeClock clock;
  NonceFactory factory("secret", clock, 300s);
  std::set<std::string> randoms;
  std::uint32_t first_index = 0;
  const auto ms = to_unix_ms(clock.now());
  char time_hex[17];
  std::snprintf(time_hex, sizeof time_hex, "%016llx", static_cast<unsigned long long>(ms));
  for (std::uint32_t i = 0; i < 1000; ++i) {
    const auto n = factory.create();
    ASSERT_EQ(n.size(), 64u);
    ASSERT_EQ(n.find_first_not_of("0123456789abcdef"), std::string::npos) << n;
    EXPECT_EQ(n.substr(0, 16), time_hex);
    if (i == 0) first_index = NonceFactory::index_of(n);
    EXPECT_EQ(NonceFactory::index_of(n), first_index + i);
    randoms.insert(n.substr(24, 8));
    ASSERT_EQ(factory.check(n), NonceFactory::Check::valid);
    for (std::size_t pos : {0u, 20u, 28u, 50u}) {
      auto forged = n;
      forged[pos] = forged[pos] == '0' ? '1' : '0';
      EXPECT_EQ(factory.check(forged), NonceFactory::Check::forged) << pos;
    }
  }
  EXPECT_GT(randoms.size(), 990u);  // 32 random bits each: collisions among 1000 are very unlikely
  const auto n = factory.create();
  clock.advance(301s);
  EXPECT_EQ(factory.check(n), NonceFactory::Check::expired);
}

// RFC 2617 §3.5 example, with MD5 as the algorithm.
TEST(DigestHash, Rfc2617Example) {
  DigestInput in;
  in.username = "Mufasa";
  in.realm = "testrealm@host.com";
  in.password = "Circle Of Life";
  in.method = "GET";
  in.uri = "/dir/index.html";
  in.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
  in.qop = "auth";
  in.nc = "00000001";
  in.cnonce = "0a4f113b";
  EXPECT_EQ(digest_response(in), "6629fae49393a05397450978507c4ef1");
}

// RFC 7616 §3.9.1 example, SHA-256.
TEST(DigestHash, Rfc7616Sha256Example) {
  DigestInput in;
  in.algorithm = DigestAlgorithm::sha256;
  in.username = "Mufasa";
  in.realm = "http-auth@example.org";
  in.password = "Circle of Life";
  in.method = "GET";
  in.uri = "/dir/index.html";
  in.nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  in.qop = "auth";
  in.nc = "00000001";
  in.cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  EXPECT_EQ(digest_response(in), "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(NonceCounter, RingKeepsHighestCountAndRefusesOverwrittenNonces) {
  using Use = NonceCounter::Use;
  NonceCounter counter(2);  // 4 slots
  EXPECT_EQ(counter.use(1, 1, 10), Use::fresh);
  EXPECT_EQ(counter.use(1, 1, 10), Use::repeated);  // the same request again
  EXPECT_EQ(counter.use(1, 1, 11), Use::replayed);  // another request with the same count
  EXPECT_EQ(counter.use(1, 3, 12), Use::fresh);
  EXPECT_EQ(counter.use(1, 2, 12), Use::replayed);
  EXPECT_EQ(counter.use(1, 1, 10), Use::replayed);  // no longer the newest use of the nonce
  EXPECT_EQ(counter.use(5, 1, 10), Use::fresh);     // same slot, newer nonce
  EXPECT_EQ(counter.use(1, 9, 10), Use::replayed);  // the older nonce lost its slot: stale, never accepted twice
  EXPECT_EQ(counter.use(6, 0, 10), Use::fresh);     // without qop: single use
  EXPECT_EQ(counter.use(6, 0, 13), Use::replayed);
  EXPECT_EQ(counter.use(0xffffffffu, 1, 10), Use::fresh);
  EXPECT_EQ(counter.use(3, 1, 10), Use::fresh);     // index wrapped around: 3 is newer than 0xffffffff
  EXPECT_EQ(counter.use(0xffffffffu, 2, 10), Use::replayed);
}

class DigestAuthenticatorTest : public ::testing::Test {
 protected:
  FakeClock clock;
  InMemoryExtensionDirectory directory;
  std::unique_ptr<DigestAuthenticator> auth;
  std::string text;  // keeps the buffer of the last request alive

  void SetUp() override {
    directory.add(Extension{"101", "Door", "s3cret", Role::door});
    DigestAuthenticator::Options o;
    o.secret = "server-secret";
    o.nonce_lifetime = 60s;
    o.lockout.max_failures = 3;
    o.lockout.duration = 120s;
    auth = std::make_unique<DigestAuthenticator>(directory, clock, o);
  }

  std::string nonce() {
    auto challenge = msg::parse_digest(auth->challenges(false).front());
    return challenge->nonce;
  }

  AuthResult attempt(const std::string& user, const std::string& password, const std::string& nonce,
                     const std::string& nc = "00000001", DigestAlgorithm alg = DigestAlgorithm::md5) {
    DigestInput in;
    in.algorithm = alg;
    in.username = user;
    in.realm = "portier.local";
    in.password = password;
    in.method = "REGISTER";
    in.uri = "sip:portier.local";
    in.nonce = nonce;
    in.qop = "auth";
    in.nc = nc;
    in.cnonce = "abc";
    const auto response = digest_response(in);
    std::string req(test::kRegister);
    req.replace(req.find("Content-Length"), 0,
                "Authorization: Digest username=\"" + user + "\", realm=\"portier.local\", nonce=\"" + nonce +
                    "\", uri=\"sip:portier.local\", response=\"" + response + "\", algorithm=" +
                    std::string(algorithm_name(alg)) + ", cnonce=\"abc\", qop=auth, nc=" + nc + "\n");
    text = test::crlf(req);
    auto m = msg::parse_message(text);
    EXPECT_TRUE(m) << m.error().what();
    return auth->authenticate(*m);
  }
};

TEST_F(DigestAuthenticatorTest, NoCredentialsGetsChallengeForEachAlgorithm) {
  text = test::crlf(test::kRegister);
  auto r = auth->authenticate(*msg::parse_message(text));
  EXPECT_EQ(r.kind, AuthResult::Kind::challenge);
  auto challenges = auth->challenges(false);
  ASSERT_EQ(challenges.size(), 2u);
  EXPECT_NE(challenges[0].find("algorithm=MD5"), std::string::npos);
  EXPECT_NE(challenges[1].find("algorithm=SHA-256"), std::string::npos);
  EXPECT_NE(challenges[0].find("qop=\"auth\""), std::string::npos);
  EXPECT_NE(auth->challenges(true)[0].find("stale=true"), std::string::npos);
}

TEST_F(DigestAuthenticatorTest, ValidMd5AndSha256) {
  auto r = attempt("101", "s3cret", nonce());
  EXPECT_EQ(r.kind, AuthResult::Kind::ok);
  ASSERT_TRUE(r.extension);
  EXPECT_EQ(r.extension->role, Role::door);
  EXPECT_EQ(attempt("101", "s3cret", nonce(), "00000001", DigestAlgorithm::sha256).kind, AuthResult::Kind::ok);
}

TEST_F(DigestAuthenticatorTest, NonceCountReplayIsStale) {
  const auto n = nonce();
  EXPECT_EQ(attempt("101", "s3cret", n, "00000001").kind, AuthResult::Kind::ok);
  // The byte-identical request again (a retransmission): still refused, but marked as the same request.
  auto copy = attempt("101", "s3cret", n, "00000001");
  EXPECT_EQ(copy.kind, AuthResult::Kind::challenge);
  EXPECT_TRUE(copy.stale);
  EXPECT_TRUE(copy.replayed);
  EXPECT_TRUE(copy.repeated);
  ASSERT_TRUE(copy.extension);
  EXPECT_EQ(copy.extension->number, "101");
  // The same credentials in another request (here: another Call-ID) are a replay.
  auto replay_text = text;
  replay_text.replace(replay_text.find("reg-call-1"), 10, "reg-call-X");
  auto replay = auth->authenticate(*msg::parse_message(replay_text));
  EXPECT_EQ(replay.kind, AuthResult::Kind::challenge);
  EXPECT_TRUE(replay.stale);
  EXPECT_TRUE(replay.replayed);
  EXPECT_FALSE(replay.repeated);
  EXPECT_EQ(attempt("101", "s3cret", n, "00000002").kind, AuthResult::Kind::ok);
  // Once nc 2 was used, the nc 1 request is no longer the newest use: a copy of it is a plain replay.
  auto late = attempt("101", "s3cret", n, "00000001");
  EXPECT_TRUE(late.replayed);
  EXPECT_FALSE(late.repeated);
}

TEST_F(DigestAuthenticatorTest, ExpiredNonceIsStaleOnlyWithRightPassword) {
  const auto n = nonce();
  clock.advance(61s);
  auto r = attempt("101", "s3cret", n);
  EXPECT_EQ(r.kind, AuthResult::Kind::challenge);
  EXPECT_TRUE(r.stale);
  auto wrong = attempt("101", "nope", n);
  EXPECT_FALSE(wrong.stale);
}

TEST_F(DigestAuthenticatorTest, ForgedNonceRejected) {
  auto n = nonce();
  n[0] = n[0] == 'f' ? 'e' : 'f';
  auto r = attempt("101", "s3cret", n);
  EXPECT_EQ(r.kind, AuthResult::Kind::challenge);
  EXPECT_FALSE(r.stale);
  // A nonce from another server secret does not verify either.
  InMemoryExtensionDirectory other_dir;
  DigestAuthenticator::Options o;
  o.secret = "another";
  DigestAuthenticator other(other_dir, clock, o);
  auto foreign = msg::parse_digest(other.challenges(false)[0])->nonce;
  EXPECT_EQ(attempt("101", "s3cret", foreign).kind, AuthResult::Kind::challenge);
}

TEST_F(DigestAuthenticatorTest, LockoutAfterFailuresAndUnknownUserLooksTheSame) {
  auto unknown = attempt("999", "whatever", nonce());
  auto wrong = attempt("101", "bad", nonce());
  EXPECT_EQ(unknown.kind, wrong.kind);
  EXPECT_EQ(unknown.stale, wrong.stale);
  EXPECT_EQ(attempt("101", "bad", nonce()).kind, AuthResult::Kind::challenge);
  EXPECT_EQ(attempt("101", "bad", nonce()).kind, AuthResult::Kind::forbidden);  // 3rd failure locks
  EXPECT_EQ(attempt("101", "s3cret", nonce()).kind, AuthResult::Kind::forbidden);
  // Unknown users lock the same way.
  attempt("999", "x", nonce());
  EXPECT_EQ(attempt("999", "x", nonce()).kind, AuthResult::Kind::forbidden);
  clock.advance(121s);
  EXPECT_EQ(attempt("101", "s3cret", nonce()).kind, AuthResult::Kind::ok);
}

TEST_F(DigestAuthenticatorTest, OtherRealmIgnored) {
  std::string req(test::kRegister);
  req.replace(req.find("Content-Length"), 0,
              "Authorization: Digest username=\"101\", realm=\"elsewhere\", nonce=\"x\", uri=\"sip:a\", "
              "response=\"00\"\n");
  text = test::crlf(req);
  auto r = auth->authenticate(*msg::parse_message(text));
  EXPECT_EQ(r.kind, AuthResult::Kind::challenge);
  EXPECT_TRUE(r.username.empty());
}

}  // namespace
}  // namespace portier::sip::ua
