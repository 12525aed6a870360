#include "webrtc/stun/demux.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "unit/webrtc/stun_vectors.hpp"

namespace portier::webrtc::stun {
namespace {

std::vector<std::uint8_t> packet(std::uint8_t b0, std::uint8_t b1, std::size_t size) {
  std::vector<std::uint8_t> p(size, 0);
  p[0] = b0;
  if (size > 1) p[1] = b1;
  return p;
}

TEST(Demux, StunNeedsTheCookie) {
  EXPECT_EQ(classify(test::rfc5769_request()), PacketKind::stun);
  EXPECT_EQ(classify(packet(0x00, 0x01, 20)), PacketKind::unknown);  // no magic cookie
  EXPECT_EQ(classify({}), PacketKind::unknown);
}

TEST(Demux, Rfc7983Ranges) {
  for (int b = 0; b < 256; ++b) {
    const auto k = classify(packet(static_cast<std::uint8_t>(b), 96, 32));
    SCOPED_TRACE(b);
    if (b >= 20 && b <= 63) {
      EXPECT_EQ(k, PacketKind::dtls);
    } else if (b >= 128 && b <= 191) {
      EXPECT_EQ(k, PacketKind::rtp);
    } else {
      EXPECT_EQ(k, PacketKind::unknown);  // 0..3 without cookie, ZRTP 16..19, TURN channels 64..79, the rest
    }
  }
}

TEST(Demux, RtcpBySecondByte) {
  EXPECT_EQ(classify(packet(0x80, 191, 12)), PacketKind::rtp);
  EXPECT_EQ(classify(packet(0x80, 192, 8)), PacketKind::rtcp);
  EXPECT_EQ(classify(packet(0x81, 200, 28)), PacketKind::rtcp);  // SR
  EXPECT_EQ(classify(packet(0x80, 223, 8)), PacketKind::rtcp);
  EXPECT_EQ(classify(packet(0x80, 224, 12)), PacketKind::rtp);  // PT 96 with marker
}

TEST(Demux, TooShortIsUnknown) {
  EXPECT_EQ(classify(packet(22, 0xfe, 12)), PacketKind::unknown);   // DTLS record header is 13 bytes
  EXPECT_EQ(classify(packet(22, 0xfe, 13)), PacketKind::dtls);
  EXPECT_EQ(classify(packet(0x80, 0, 11)), PacketKind::unknown);    // RTP header is 12
  EXPECT_EQ(classify(packet(0x80, 200, 7)), PacketKind::unknown);   // RTCP header is 8
  EXPECT_EQ(classify(packet(0x80, 0, 1)), PacketKind::unknown);
  EXPECT_EQ(to_string(PacketKind::dtls), "dtls");
}

}  // namespace
}  // namespace portier::webrtc::stun
