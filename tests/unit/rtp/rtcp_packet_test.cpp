#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "rtp/rtcp_packet.hpp"
#include "rtp/rtp_error.hpp"

namespace portier::rtp {
namespace {

// SR (no report blocks) + SDES with one CNAME chunk, as most phones send.
std::vector<std::uint8_t> sr_sdes(std::uint32_t ssrc) {
  std::vector<std::uint8_t> p(28 + 16, 0);
  const std::uint8_t sr[] = {0x80, 200, 0, 6};
  const std::uint8_t sdes[] = {0x81, 202, 0, 3, 0, 0, 0, 0, 1, 3, 'a', 'b', 'c', 0, 0, 0};
  std::copy(std::begin(sr), std::end(sr), p.begin());
  std::copy(std::begin(sdes), std::end(sdes), p.begin() + 28);
  store32(&p[4], ssrc);
  store32(&p[32], ssrc);
  return p;
}

TEST(RtcpPacket, WalksACompound) {
  auto p = sr_sdes(0x11223344);
  ASSERT_TRUE(validate_rtcp_compound(p));
  std::vector<std::uint8_t> types;
  for_each_rtcp(p, [&](const RtcpView& v) {
    types.push_back(v.type);
    EXPECT_EQ(v.ssrc, 0x11223344u);
  });
  EXPECT_EQ(types, (std::vector<std::uint8_t>{200, 202}));
}

TEST(RtcpPacket, RejectsBrokenCompounds) {
  auto p = sr_sdes(1);
  p.pop_back();
  EXPECT_EQ(validate_rtcp_compound(p).error().code, errc::bad_length);
  p = sr_sdes(1);
  p[1] = 100;
  EXPECT_EQ(validate_rtcp_compound(p).error().code, errc::not_rtcp);
  p = sr_sdes(1);
  p[0] = 0xa0;  // padding on the first of two packets
  EXPECT_EQ(validate_rtcp_compound(p).error().code, errc::bad_padding);
  p = sr_sdes(1);
  p[28] = 0x41;
  EXPECT_EQ(validate_rtcp_compound(p).error().code, errc::bad_version);
  const std::uint8_t tiny[] = {0x80, 200};
  EXPECT_EQ(validate_rtcp_compound(tiny).error().code, errc::too_short);
}

TEST(RtcpPacket, RewritesSenderSsrc) {
  auto p = sr_sdes(7);
  EXPECT_EQ(rewrite_rtcp_ssrc(p, 7, 9), 2);
  for_each_rtcp(p, [](const RtcpView& v) { EXPECT_EQ(v.ssrc, 9u); });
  EXPECT_EQ(rewrite_rtcp_ssrc(p, 7, 9), 0);
}

}  // namespace
}  // namespace portier::rtp
