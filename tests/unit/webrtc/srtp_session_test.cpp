#include "webrtc/srtp/srtp_session.hpp"

#include <gtest/gtest.h>

#include "unit/webrtc/srtp_test_packets.hpp"

namespace portier::webrtc {
namespace {

using Direction = SrtpSession::Direction;
using test::kRtcpSize;
using test::kRtpSize;

std::vector<std::uint8_t> key_for(SrtpProfile profile, std::uint8_t seed = 1) {
  std::vector<std::uint8_t> k(srtp_key_length(profile));
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + i * 3);
  return k;
}

struct Sessions {
  std::unique_ptr<SrtpSession> out, in;
  explicit Sessions(SrtpProfile profile, std::uint8_t in_seed = 1) {
    out = SrtpSession::create(Direction::outbound, profile, key_for(profile)).value();
    in = SrtpSession::create(Direction::inbound, profile, key_for(profile, in_seed)).value();
  }
};

class SrtpSessionTest : public ::testing::TestWithParam<SrtpProfile> {};

std::size_t tag_length(SrtpProfile p) { return p == SrtpProfile::aead_aes_128_gcm ? 16 : 10; }

TEST_P(SrtpSessionTest, RtpRoundTrip) {
  Sessions s(GetParam());
  for (std::uint16_t seq = 1000; seq < 1010; ++seq) {
    auto packet = test::rtp_packet(seq);
    const auto plain = std::vector<std::uint8_t>(packet.begin(), packet.begin() + kRtpSize);
    auto protected_size = s.out->protect_rtp(packet.data(), kRtpSize, packet.size());
    ASSERT_TRUE(protected_size.ok()) << protected_size.error().what();
    EXPECT_EQ(*protected_size, kRtpSize + tag_length(GetParam()));
    EXPECT_NE(std::vector<std::uint8_t>(packet.begin() + 12, packet.begin() + kRtpSize),
              std::vector<std::uint8_t>(plain.begin() + 12, plain.end()))
        << "the payload is encrypted";
    EXPECT_TRUE(std::equal(plain.begin(), plain.begin() + 12, packet.begin())) << "the header stays in clear";
    auto plain_size = s.in->unprotect_rtp(packet.data(), *protected_size);
    ASSERT_TRUE(plain_size.ok()) << plain_size.error().what();
    EXPECT_EQ(*plain_size, kRtpSize);
    EXPECT_EQ(std::vector<std::uint8_t>(packet.begin(), packet.begin() + kRtpSize), plain);
  }
  EXPECT_EQ(s.out->counters().rtp_ok, 10u);
  EXPECT_EQ(s.in->counters().rtp_ok, 10u);
  EXPECT_NE(s.in->dump().find("rtp=10"), std::string::npos) << s.in->dump();
}

TEST_P(SrtpSessionTest, RtcpRoundTrip) {
  Sessions s(GetParam());
  for (int i = 0; i < 3; ++i) {
    auto packet = test::rtcp_packet();
    const auto plain = std::vector<std::uint8_t>(packet.begin(), packet.begin() + kRtcpSize);
    auto protected_size = s.out->protect_rtcp(packet.data(), kRtcpSize, packet.size());
    ASSERT_TRUE(protected_size.ok()) << protected_size.error().what();
    EXPECT_EQ(*protected_size, kRtcpSize + 4 + tag_length(GetParam()));  // SRTCP index + tag
    auto plain_size = s.in->unprotect_rtcp(packet.data(), *protected_size);
    ASSERT_TRUE(plain_size.ok()) << plain_size.error().what();
    EXPECT_EQ(*plain_size, kRtcpSize);
    EXPECT_EQ(std::vector<std::uint8_t>(packet.begin(), packet.begin() + kRtcpSize), plain);
  }
  EXPECT_EQ(s.in->counters().rtcp_ok, 3u);
}

TEST_P(SrtpSessionTest, TamperedPacketsAreRejected) {
  Sessions s(GetParam());
  auto packet = test::rtp_packet(7);
  const std::size_t n = s.out->protect_rtp(packet.data(), kRtpSize, packet.size()).value();
  packet[20] ^= 0x01;
  auto r = s.in->unprotect_rtp(packet.data(), n);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, srtp_errc::auth_failed);

  auto rtcp = test::rtcp_packet();
  const std::size_t m = s.out->protect_rtcp(rtcp.data(), kRtcpSize, rtcp.size()).value();
  rtcp[m - 1] ^= 0x80;  // in the tag
  auto rc = s.in->unprotect_rtcp(rtcp.data(), m);
  ASSERT_FALSE(rc.ok());
  EXPECT_EQ(rc.error().code, srtp_errc::auth_failed);
  EXPECT_EQ(s.in->counters().auth_failed, 2u);
}

TEST_P(SrtpSessionTest, WrongKeyIsRejected) {
  Sessions s(GetParam(), 99);
  auto packet = test::rtp_packet(1);
  const std::size_t n = s.out->protect_rtp(packet.data(), kRtpSize, packet.size()).value();
  auto r = s.in->unprotect_rtp(packet.data(), n);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, srtp_errc::auth_failed);
}

TEST_P(SrtpSessionTest, ReplayedPacketsAreRejected) {
  Sessions s(GetParam());
  auto packet = test::rtp_packet(500);
  const std::size_t n = s.out->protect_rtp(packet.data(), kRtpSize, packet.size()).value();
  const auto copy = packet;
  ASSERT_TRUE(s.in->unprotect_rtp(packet.data(), n).ok());
  auto replay = copy;
  auto r = s.in->unprotect_rtp(replay.data(), n);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, srtp_errc::replay);

  auto rtcp = test::rtcp_packet();
  const std::size_t m = s.out->protect_rtcp(rtcp.data(), kRtcpSize, rtcp.size()).value();
  auto rtcp_copy = rtcp;
  ASSERT_TRUE(s.in->unprotect_rtcp(rtcp.data(), m).ok());
  auto rr = s.in->unprotect_rtcp(rtcp_copy.data(), m);
  ASSERT_FALSE(rr.ok());
  EXPECT_EQ(rr.error().code, srtp_errc::replay);
  EXPECT_EQ(s.in->counters().replayed, 2u);
}

TEST_P(SrtpSessionTest, MalformedInputIsAValue) {
  Sessions s(GetParam());
  std::vector<std::uint8_t> tiny = {0x80, 0, 0, 1};
  EXPECT_EQ(s.in->unprotect_rtp(tiny.data(), tiny.size()).error().code, srtp_errc::bad_packet);
  EXPECT_EQ(s.in->unprotect_rtcp(tiny.data(), tiny.size()).error().code, srtp_errc::bad_packet);
  EXPECT_EQ(s.in->unprotect_rtp(nullptr, 0).error().code, srtp_errc::bad_packet);
  std::vector<std::uint8_t> huge(SrtpSession::kMaxPacket + 1, 0x80);
  EXPECT_EQ(s.in->unprotect_rtp(huge.data(), huge.size()).error().code, srtp_errc::bad_packet);
  // A header-only packet that claims 15 CSRCs and an extension it does not have.
  std::vector<std::uint8_t> lying = {0x9f, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_FALSE(s.in->unprotect_rtp(lying.data(), lying.size()).ok());

  auto packet = test::rtp_packet(1);
  auto r = s.out->protect_rtp(packet.data(), kRtpSize, kRtpSize + 4);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, srtp_errc::buffer_too_small);
  EXPECT_FALSE(s.in->protect_rtp(packet.data(), kRtpSize, packet.size()).ok()) << "wrong direction";
  EXPECT_FALSE(s.out->unprotect_rtp(packet.data(), kRtpSize).ok()) << "wrong direction";
}

TEST_P(SrtpSessionTest, KeyLengthIsChecked) {
  std::vector<std::uint8_t> short_key(srtp_key_length(GetParam()) - 1, 1);
  auto r = SrtpSession::create(Direction::inbound, GetParam(), short_key);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, srtp_errc::bad_key);
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpSessionTest,
                         ::testing::Values(SrtpProfile::aes128_cm_sha1_80, SrtpProfile::aead_aes_128_gcm),
                         [](const auto& info) {
                           return info.param == SrtpProfile::aead_aes_128_gcm ? std::string("Gcm")
                                                                              : std::string("Cm");
                         });

TEST(SrtpProfile, Lengths) {
  EXPECT_EQ(srtp_key_length(SrtpProfile::aes128_cm_sha1_80), 30u);
  EXPECT_EQ(srtp_key_length(SrtpProfile::aead_aes_128_gcm), 28u);
  EXPECT_EQ(srtp_profile_from_name("SRTP_AEAD_AES_128_GCM"), SrtpProfile::aead_aes_128_gcm);
  EXPECT_EQ(srtp_profile_from_name(srtp_profile_name(SrtpProfile::aes128_cm_sha1_80)),
            SrtpProfile::aes128_cm_sha1_80);
  EXPECT_FALSE(srtp_profile_from_name("SRTP_NULL_SHA1_80").has_value());
}

}  // namespace
}  // namespace portier::webrtc
