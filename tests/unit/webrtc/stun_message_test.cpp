#include "webrtc/stun/stun_message.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "unit/webrtc/stun_vectors.hpp"

namespace portier::webrtc::stun {
namespace {

using test::kRfc5769Password;

// The stun module is pure; the tests compute HMAC-SHA1 with OpenSSL directly.
std::array<std::uint8_t, 20> mac(std::string_view key, std::span<const std::uint8_t> d) {
  std::array<std::uint8_t, 20> out{};
  unsigned len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), d.data(), d.size(), out.data(), &len);
  return out;
}

bool integrity_ok(const Message& m, std::string_view key) {
  const auto input = m.integrity_input();
  const auto* mi = m.find(attr::message_integrity);
  if (!input || !mi) return false;
  const auto expected = mac(key, *input);
  return std::equal(expected.begin(), expected.end(), mi->value.begin(), mi->value.end());
}

const std::array<std::uint8_t, 12> kTxid{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

TEST(StunCrc32, KnownValues) {
  const std::string s = "123456789";
  EXPECT_EQ(crc32(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size())), 0xCBF43926u);
  EXPECT_EQ(crc32({}), 0u);
}

TEST(StunRfc5769, SampleRequest) {
  const auto bytes = test::rfc5769_request();
  ASSERT_TRUE(looks_like_stun(bytes));
  auto m = parse(bytes);
  ASSERT_TRUE(m) << m.error().what();
  EXPECT_EQ(m->method, kBinding);
  EXPECT_EQ(m->cls, Class::request);
  EXPECT_EQ(m->username(), "evtj:h6vY");
  EXPECT_EQ(m->priority(), 0x6e0001ffu);
  EXPECT_TRUE(m->has(attr::ice_controlled));
  EXPECT_FALSE(m->has(attr::use_candidate));
  EXPECT_TRUE(fingerprint_ok(*m));
  EXPECT_TRUE(integrity_ok(*m, kRfc5769Password));
  EXPECT_FALSE(integrity_ok(*m, "VOkJxbRl1RmTxUk/WvJxBu"));
  EXPECT_NE(m->dump().find("USERNAME(9)"), std::string::npos) << m->dump();
}

TEST(StunRfc5769, Ipv4Response) {
  const auto bytes = test::rfc5769_ipv4_response();
  auto m = parse(bytes);
  ASSERT_TRUE(m) << m.error().what();
  EXPECT_EQ(m->cls, Class::success);
  EXPECT_TRUE(fingerprint_ok(*m));
  EXPECT_TRUE(integrity_ok(*m, kRfc5769Password));
  auto a = m->xor_mapped_address();
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->v6);
  EXPECT_EQ(a->port, 32853);
  EXPECT_EQ((std::array<std::uint8_t, 4>{a->bytes[0], a->bytes[1], a->bytes[2], a->bytes[3]}),
            (std::array<std::uint8_t, 4>{192, 0, 2, 1}));
}

TEST(StunRfc5769, Ipv6Response) {
  const auto bytes = test::rfc5769_ipv6_response();
  auto m = parse(bytes);
  ASSERT_TRUE(m) << m.error().what();
  EXPECT_TRUE(fingerprint_ok(*m));
  EXPECT_TRUE(integrity_ok(*m, kRfc5769Password));
  auto a = m->xor_mapped_address();
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->v6);
  EXPECT_EQ(a->port, 32853);
  const std::array<std::uint8_t, 16> want{0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78,
                                          0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
  EXPECT_EQ(a->bytes, want);
}

TEST(StunRfc5769, CorruptedBytesFailChecks) {
  auto bytes = test::rfc5769_request();
  bytes[30] ^= 0x01;  // inside SOFTWARE: framing intact, both checks must fail
  auto m = parse(bytes);
  ASSERT_TRUE(m);
  EXPECT_FALSE(fingerprint_ok(*m));
  EXPECT_FALSE(integrity_ok(*m, kRfc5769Password));
}

TEST(StunBuilder, RoundTripWithIntegrityAndFingerprint) {
  Address v4;
  v4.bytes = {10, 1, 2, 3};
  v4.port = 5004;
  auto hmac = [](std::span<const std::uint8_t> d) { return mac("secret-password-1234567", d); };
  const auto bytes = MessageBuilder(kBinding, Class::success, kTxid)
                         .add_xor_mapped_address(v4)
                         .add_string(attr::username, "abcde")  // 5 bytes: padded to 8
                         .add_u32(attr::priority, 0x7e7fffff)
                         .add_u64(attr::ice_controlling, 0x0102030405060708ull)
                         .finish(hmac, true);
  EXPECT_EQ(bytes.size() % 4, 0u);
  auto m = parse(bytes);
  ASSERT_TRUE(m) << m.error().what();
  EXPECT_EQ(m->cls, Class::success);
  EXPECT_EQ(m->method, kBinding);
  EXPECT_EQ(m->transaction_id, kTxid);
  EXPECT_EQ(m->xor_mapped_address(), v4);
  EXPECT_EQ(m->username(), "abcde");
  EXPECT_EQ(m->priority(), 0x7e7fffffu);
  ASSERT_TRUE(m->find(attr::ice_controlling));
  EXPECT_EQ(m->find(attr::ice_controlling)->value[7], 0x08);
  EXPECT_TRUE(fingerprint_ok(*m));
  EXPECT_TRUE(integrity_ok(*m, "secret-password-1234567"));
  EXPECT_EQ(m->attributes.back().type, attr::fingerprint);
}

TEST(StunBuilder, ErrorResponseAndIpv6) {
  Address v6;
  v6.v6 = true;
  v6.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  v6.port = 443;
  const std::array<std::uint16_t, 2> unknown{0x0031, 0x0032};
  const auto bytes = MessageBuilder(kBinding, Class::error, kTxid)
                         .add_error_code(487, "Role Conflict")
                         .add_unknown_attributes(unknown)
                         .add_xor_mapped_address(v6)
                         .finish(nullptr, false);
  auto m = parse(bytes);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->cls, Class::error);
  EXPECT_EQ(m->error_code(), 487);
  EXPECT_EQ(m->xor_mapped_address(), v6);
  EXPECT_FALSE(fingerprint_ok(*m));
  EXPECT_FALSE(m->integrity_input());
}

TEST(StunBuilder, MethodAndClassBitsInterleave) {
  // Binding success is 0x0101, error 0x0111, indication 0x0011 (RFC 5389 §6).
  EXPECT_EQ(MessageBuilder(kBinding, Class::success, kTxid).finish(nullptr, false)[1], 0x01);
  auto e = MessageBuilder(kBinding, Class::error, kTxid).finish(nullptr, false);
  EXPECT_EQ(e[0], 0x01);
  EXPECT_EQ(e[1], 0x11);
  auto i = MessageBuilder(kBinding, Class::indication, kTxid).finish(nullptr, false);
  EXPECT_EQ(i[0], 0x00);
  EXPECT_EQ(i[1], 0x11);
  auto other = MessageBuilder(0x0ABC, Class::error, kTxid).finish(nullptr, false);
  auto m = parse(other);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->method, 0x0ABC);
  EXPECT_EQ(m->cls, Class::error);
}

TEST(StunParse, AttributesAfterIntegrityAreDropped) {
  auto hmac = [](std::span<const std::uint8_t> d) { return mac("k", d); };
  auto bytes = MessageBuilder(kBinding, Class::request, kTxid).add_string(attr::username, "a:b").finish(hmac, false);
  // Append USE-CANDIDATE after M-I by hand (an attacker cannot add it under the integrity check).
  bytes.insert(bytes.end(), {0x00, 0x25, 0x00, 0x00});
  bytes[3] = static_cast<std::uint8_t>(bytes.size() - kHeaderSize);
  auto m = parse(bytes);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->has(attr::use_candidate));
  EXPECT_TRUE(m->has(attr::message_integrity));
}

TEST(StunParse, TruncatedAndGarbage) {
  const auto good = test::rfc5769_request();
  for (std::size_t n = 0; n < good.size(); ++n) {
    auto r = parse(std::span(good.data(), n));
    EXPECT_FALSE(r) << n;
  }
  EXPECT_EQ(parse(std::span(good.data(), 10)).error().code, make_error_code(errc::too_short));
  EXPECT_EQ(parse(std::span(good.data(), 24)).error().code, make_error_code(errc::bad_length));

  auto bad = good;
  bad[0] = 0x80;  // top bits
  EXPECT_EQ(parse(bad).error().code, make_error_code(errc::not_stun));
  EXPECT_FALSE(looks_like_stun(bad));
  bad = good;
  bad[5] = 0x13;  // cookie
  EXPECT_EQ(parse(bad).error().code, make_error_code(errc::not_stun));
  bad = good;
  bad[23] = 0xF0;  // SOFTWARE length runs past the end
  EXPECT_EQ(parse(bad).error().code, make_error_code(errc::bad_attribute));
  bad = good;
  bad[3] = 0x59;  // length not a multiple of 4
  EXPECT_EQ(parse(bad).error().code, make_error_code(errc::bad_length));
  EXPECT_FALSE(looks_like_stun(bad));

  // FINGERPRINT not last.
  auto fp_first = MessageBuilder(kBinding, Class::request, kTxid).finish(nullptr, true);
  fp_first.insert(fp_first.end(), {0x00, 0x25, 0x00, 0x00});
  fp_first[3] = static_cast<std::uint8_t>(fp_first.size() - kHeaderSize);
  EXPECT_EQ(parse(fp_first).error().code, make_error_code(errc::bad_fingerprint));
}

TEST(StunParse, BadAccessorValuesAreNullopt) {
  auto bytes = MessageBuilder(kBinding, Class::error, kTxid)
                   .add(attr::priority, std::array<std::uint8_t, 3>{1, 2, 3})
                   .add(attr::xor_mapped_address, std::array<std::uint8_t, 8>{0, 3, 0, 0, 0, 0, 0, 0})
                   .add(attr::error_code, std::array<std::uint8_t, 4>{0, 0, 9, 0})
                   .finish(nullptr, false);
  auto m = parse(bytes);
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->priority());
  EXPECT_FALSE(m->xor_mapped_address());
  EXPECT_FALSE(m->error_code());
  EXPECT_FALSE(m->username());
}

}  // namespace
}  // namespace portier::webrtc::stun
