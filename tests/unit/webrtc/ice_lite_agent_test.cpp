#include "webrtc/ice/ice_lite_agent.hpp"

#include <gtest/gtest.h>

#include "base/clock.hpp"
#include "unit/webrtc/stun_vectors.hpp"

namespace portier::webrtc {
namespace {

namespace attr = stun::attr;
using namespace std::chrono_literals;
using boost::asio::ip::make_address;
using Endpoint = boost::asio::ip::udp::endpoint;

const IceCredentials kLocal{"LoCa", "localpassword0123456789+/"};
const IceCredentials kRemote{"ReMo", "remotepassword0123456789"};

struct Request {
  std::string username = kLocal.ufrag + ":" + kRemote.ufrag;
  std::string key = kLocal.pwd;
  bool use_candidate = false;
  bool controlled = false;  // claim ICE-CONTROLLED instead of ICE-CONTROLLING
  bool integrity = true;
  bool fingerprint = true;
  std::optional<std::uint16_t> extra_attribute{};
  std::uint8_t id = 1;
};

std::vector<std::uint8_t> make_request(const Request& r) {
  std::array<std::uint8_t, 12> txid{};
  txid.fill(r.id);
  stun::MessageBuilder b(stun::kBinding, stun::Class::request, txid);
  if (!r.username.empty()) b.add_string(attr::username, r.username);
  b.add_u32(attr::priority, 1853824767);
  b.add_u64(r.controlled ? attr::ice_controlled : attr::ice_controlling, 0x1122334455667788ull);
  if (r.use_candidate) b.add(attr::use_candidate, {});
  if (r.extra_attribute) b.add_u32(*r.extra_attribute, 7);
  stun::HmacSha1 mac;
  if (r.integrity) mac = [key = r.key](std::span<const std::uint8_t> d) { return hmac_sha1(key, d); };
  return b.finish(mac, r.fingerprint);
}

class IceLiteAgentTest : public ::testing::Test {
 protected:
  IceLiteAgentTest() : agent_(kLocal, IceLiteAgent::Options{}) { agent_.set_remote_credentials(kRemote.ufrag, kRemote.pwd); }

  IceLiteAgent::Outcome send(const Request& r, const Endpoint& from) {
    const auto bytes = make_request(r);
    return agent_.on_stun(bytes, from, clock_.steady_now());
  }
  // The response must be an authenticated STUN message for our password.
  stun::Message check_response(const std::vector<std::uint8_t>& bytes, stun::Class cls) {
    auto m = stun::parse(bytes);
    EXPECT_TRUE(m);
    if (!m) return {};
    EXPECT_EQ(m->cls, cls);
    EXPECT_TRUE(stun::fingerprint_ok(*m));
    return *m;
  }
  bool authenticated(const stun::Message& m) {
    const auto input = m.integrity_input();
    const auto* mi = m.find(attr::message_integrity);
    if (!input || !mi) return false;
    const auto mac = hmac_sha1(kLocal.pwd, *input);
    return std::equal(mac.begin(), mac.end(), mi->value.begin(), mi->value.end());
  }

  FakeClock clock_;
  IceLiteAgent agent_;
  const Endpoint browser_{make_address("192.0.2.10"), 50000};
  const Endpoint other_{make_address("2001:db8::7"), 50002};
};

TEST_F(IceLiteAgentTest, ValidRequestIsAnsweredWithMappedAddress) {
  auto out = send({}, browser_);
  EXPECT_FALSE(out.ignored);
  EXPECT_FALSE(out.nominated);
  ASSERT_FALSE(out.response.empty());
  auto m = check_response(out.response, stun::Class::success);
  EXPECT_TRUE(authenticated(m));
  auto a = m.xor_mapped_address();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->port, 50000);
  EXPECT_EQ(a->bytes[0], 192);
  EXPECT_EQ(a->bytes[3], 10);
  EXPECT_EQ(m.transaction_id[0], 1);
  EXPECT_EQ(agent_.state(), IceLiteAgent::State::waiting);
  EXPECT_FALSE(agent_.selected());
  EXPECT_EQ(agent_.counters().requests, 1u);
  EXPECT_EQ(agent_.counters().responses, 1u);
}

TEST_F(IceLiteAgentTest, UseCandidateNominatesAndLatestWins) {
  auto out = send({.use_candidate = true}, browser_);
  EXPECT_TRUE(out.nominated);
  EXPECT_EQ(agent_.selected(), browser_);
  EXPECT_EQ(agent_.state(), IceLiteAgent::State::connected);
  out = send({.use_candidate = true, .id = 2}, other_);
  EXPECT_TRUE(out.nominated);
  EXPECT_EQ(agent_.selected(), other_);
  auto m = check_response(out.response, stun::Class::success);
  ASSERT_TRUE(m.xor_mapped_address());
  EXPECT_TRUE(m.xor_mapped_address()->v6);
  EXPECT_NE(agent_.dump().find("selected=2001:db8::7:50002"), std::string::npos) << agent_.dump();
}

TEST_F(IceLiteAgentTest, V4MappedSourceIsReportedAsIpv4) {
  const Endpoint mapped{make_address("::ffff:198.51.100.4"), 4000};
  auto m = check_response(send({}, mapped).response, stun::Class::success);
  ASSERT_TRUE(m.xor_mapped_address());
  EXPECT_FALSE(m.xor_mapped_address()->v6);
  EXPECT_EQ(m.xor_mapped_address()->bytes[0], 198);
}

TEST_F(IceLiteAgentTest, BadIntegrityIsIgnoredWithoutAnswer) {
  auto out = send({.key = "wrong-password-0123456789", .use_candidate = true}, browser_);
  EXPECT_TRUE(out.ignored);
  EXPECT_TRUE(out.response.empty());
  EXPECT_FALSE(out.nominated);
  EXPECT_FALSE(agent_.selected());
  EXPECT_EQ(agent_.counters().bad_integrity, 1u);
  EXPECT_EQ(agent_.counters().responses, 0u);
}

TEST_F(IceLiteAgentTest, WrongUfragGets401) {
  auto out = send({.username = "Other:" + kRemote.ufrag}, browser_);
  auto m = check_response(out.response, stun::Class::error);
  EXPECT_EQ(m.error_code(), 401);
  EXPECT_FALSE(authenticated(m));
  EXPECT_EQ(agent_.counters().bad_username, 1u);
  out = send({.username = kLocal.ufrag}, browser_);  // no colon
  EXPECT_EQ(check_response(out.response, stun::Class::error).error_code(), 401);
}

TEST_F(IceLiteAgentTest, MissingUsernameOrIntegrityGets400) {
  auto out = send({.username = ""}, browser_);
  EXPECT_EQ(check_response(out.response, stun::Class::error).error_code(), 400);
  out = send({.integrity = false}, browser_);
  EXPECT_EQ(check_response(out.response, stun::Class::error).error_code(), 400);
  EXPECT_EQ(agent_.counters().malformed, 2u);
}

TEST_F(IceLiteAgentTest, MissingOrWrongFingerprintIsIgnored) {
  auto out = send({.fingerprint = false}, browser_);
  EXPECT_TRUE(out.ignored);
  EXPECT_TRUE(out.response.empty());
  auto bytes = make_request({});
  bytes.back() ^= 0xFF;
  out = agent_.on_stun(bytes, browser_, clock_.steady_now());
  EXPECT_TRUE(out.ignored);
  EXPECT_TRUE(out.response.empty());
  EXPECT_EQ(agent_.counters().malformed, 2u);
}

TEST_F(IceLiteAgentTest, RoleConflictOnlyWhenPeerIsControlledToo) {
  auto out = send({.use_candidate = true, .controlled = true}, browser_);
  auto m = check_response(out.response, stun::Class::error);
  EXPECT_EQ(m.error_code(), 487);
  EXPECT_TRUE(authenticated(m));
  EXPECT_FALSE(out.nominated);
  EXPECT_FALSE(agent_.selected());
}

TEST_F(IceLiteAgentTest, UnknownComprehensionRequiredAttributeGets420) {
  auto out = send({.extra_attribute = 0x0031}, browser_);
  auto m = check_response(out.response, stun::Class::error);
  EXPECT_EQ(m.error_code(), 420);
  const auto* u = m.find(attr::unknown_attributes);
  ASSERT_TRUE(u);
  ASSERT_EQ(u->value.size(), 2u);
  EXPECT_EQ(u->value[1], 0x31);
  // Comprehension-optional ones (GOOG-NETWORK-INFO 0xC057) are fine.
  out = send({.extra_attribute = 0xC057}, browser_);
  check_response(out.response, stun::Class::success);
}

TEST_F(IceLiteAgentTest, NonRequestsAndGarbageAreIgnored) {
  const std::array<std::uint8_t, 12> txid{};
  const auto indication = stun::MessageBuilder(stun::kBinding, stun::Class::indication, txid).finish(nullptr, true);
  EXPECT_TRUE(agent_.on_stun(indication, browser_, clock_.steady_now()).ignored);
  const std::vector<std::uint8_t> junk{0x00, 0x01, 0x02};
  EXPECT_TRUE(agent_.on_stun(junk, browser_, clock_.steady_now()).ignored);
  EXPECT_TRUE(agent_.on_stun(test::rfc5769_request(), browser_, clock_.steady_now()).response.size() > 0);
  EXPECT_EQ(agent_.counters().not_request, 1u);
  EXPECT_EQ(agent_.counters().malformed, 1u);
  EXPECT_EQ(agent_.counters().bad_username, 1u);  // RFC 5769's "evtj" is not our ufrag
}

TEST_F(IceLiteAgentTest, ConsentFreshnessWithFakeTime) {
  send({.use_candidate = true}, browser_);
  ASSERT_EQ(agent_.state(), IceLiteAgent::State::connected);
  clock_.advance(5s);
  send({.id = 2}, browser_);  // consent refresh from the selected address
  clock_.advance(9s);
  EXPECT_EQ(agent_.tick(clock_.steady_now()), IceLiteAgent::State::connected);
  clock_.advance(1s);  // 10 s without a check
  EXPECT_EQ(agent_.tick(clock_.steady_now()), IceLiteAgent::State::disconnected);
  send({.id = 3}, other_);  // a check from another address does not refresh consent
  EXPECT_EQ(agent_.tick(clock_.steady_now()), IceLiteAgent::State::disconnected);
  send({.id = 4}, browser_);
  EXPECT_EQ(agent_.state(), IceLiteAgent::State::connected);
  clock_.advance(29s);
  EXPECT_EQ(agent_.tick(clock_.steady_now()), IceLiteAgent::State::disconnected);
  clock_.advance(1s);
  EXPECT_EQ(agent_.tick(clock_.steady_now()), IceLiteAgent::State::failed);
  // Failed is final: a late nomination neither revives nor moves it.
  auto out = send({.use_candidate = true, .id = 5}, other_);
  EXPECT_FALSE(out.response.empty());
  EXPECT_EQ(agent_.tick(clock_.steady_now()), IceLiteAgent::State::failed);
  EXPECT_EQ(agent_.selected(), browser_);
}

TEST_F(IceLiteAgentTest, TickBeforeNominationStaysWaiting) {
  clock_.advance(60s);
  EXPECT_EQ(agent_.tick(clock_.steady_now()), IceLiteAgent::State::waiting);
}

TEST_F(IceLiteAgentTest, TrickledCandidatesAreKeptOnceAndBounded) {
  auto host = parse_candidate("candidate:1 1 udp 2122260223 192.168.1.20 54321 typ host");
  auto srflx = parse_candidate("candidate:2 1 udp 1686052607 203.0.113.7 61000 typ srflx raddr 192.168.1.20 rport 54321");
  auto v6 = parse_candidate("candidate:3 1 udp 2122262783 2001:db8::1f 40000 typ host");
  ASSERT_TRUE(host && srflx && v6);
  agent_.add_remote_candidate(*host);
  agent_.add_remote_candidate(*srflx);
  agent_.add_remote_candidate(*v6);
  agent_.add_remote_candidate(*host);
  ASSERT_EQ(agent_.remote_candidates().size(), 3u);
  EXPECT_EQ(agent_.remote_candidates()[1].type, "srflx");
  EXPECT_FALSE(parse_candidate("candidate:1 1 udp 2113937151 abc.local 59000 typ host"));

  IceLiteAgent small(kLocal, IceLiteAgent::Options{.max_remote_candidates = 2});
  small.add_remote_candidate(*host);
  small.add_remote_candidate(*srflx);
  small.add_remote_candidate(*v6);
  EXPECT_EQ(small.remote_candidates().size(), 2u);
}

}  // namespace
}  // namespace portier::webrtc
