// Keys from a real DTLS handshake drive SRTP on both sides: what one side protects the other unprotects.
#include <gtest/gtest.h>

#include "unit/webrtc/dtls_pair.hpp"
#include "unit/webrtc/srtp_test_packets.hpp"
#include "webrtc/srtp/srtp_session.hpp"

namespace portier::webrtc {
namespace {

using Direction = SrtpSession::Direction;

class DtlsSrtpKeys : public ::testing::TestWithParam<SrtpProfile> {};

TEST_P(DtlsSrtpKeys, HandshakeKeysProtectAndUnprotectCrosswise) {
  test::DtlsPair p;
  p.client.set_srtp_profiles({GetParam()});
  p.start();
  p.pump();
  ASSERT_TRUE(p.client_events.keys && p.server_events.keys);
  const SrtpKeys& c = *p.client_events.keys;
  const SrtpKeys& s = *p.server_events.keys;
  ASSERT_EQ(c.profile, GetParam());

  auto client_out = SrtpSession::create(Direction::outbound, c.profile, c.local).value();
  auto client_in = SrtpSession::create(Direction::inbound, c.profile, c.remote).value();
  auto server_out = SrtpSession::create(Direction::outbound, s.profile, s.local).value();
  auto server_in = SrtpSession::create(Direction::inbound, s.profile, s.remote).value();

  auto rtp = test::rtp_packet(1);
  const auto plain = std::vector<std::uint8_t>(rtp.begin(), rtp.begin() + test::kRtpSize);
  std::size_t n = client_out->protect_rtp(rtp.data(), test::kRtpSize, rtp.size()).value();
  ASSERT_EQ(server_in->unprotect_rtp(rtp.data(), n).value(), test::kRtpSize);
  EXPECT_EQ(std::vector<std::uint8_t>(rtp.begin(), rtp.begin() + test::kRtpSize), plain);

  auto rtcp = test::rtcp_packet(0x55667788);
  n = server_out->protect_rtcp(rtcp.data(), test::kRtcpSize, rtcp.size()).value();
  EXPECT_EQ(client_in->unprotect_rtcp(rtcp.data(), n).value(), test::kRtcpSize);

  // A side's own outbound key does not open its own packets (local != remote).
  auto echo = test::rtp_packet(2);
  n = server_out->protect_rtp(echo.data(), test::kRtpSize, echo.size()).value();
  EXPECT_FALSE(server_in->unprotect_rtp(echo.data(), n).ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, DtlsSrtpKeys,
                         ::testing::Values(SrtpProfile::aes128_cm_sha1_80, SrtpProfile::aead_aes_128_gcm),
                         [](const auto& info) {
                           return info.param == SrtpProfile::aead_aes_128_gcm ? std::string("Gcm")
                                                                              : std::string("Cm");
                         });

}  // namespace
}  // namespace portier::webrtc
