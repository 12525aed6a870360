#include <gtest/gtest.h>

#include <vector>

#include "rtp/rtp_error.hpp"
#include "rtp/rtp_packet.hpp"

namespace portier::rtp {
namespace {

std::vector<std::uint8_t> packet(RtpFields f, std::size_t payload) {
  std::vector<std::uint8_t> p(kRtpHeaderSize + payload, 0xd5);
  write_rtp_header(p, f);
  return p;
}

TEST(RtpPacket, WriteThenParse) {
  auto p = packet({true, 8, 65535, 0xdeadbeef, 0x01020304}, 160);
  auto v = parse_rtp(p);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->marker);
  EXPECT_EQ(v->payload_type, 8);
  EXPECT_EQ(v->sequence, 65535);
  EXPECT_EQ(v->timestamp, 0xdeadbeefu);
  EXPECT_EQ(v->ssrc, 0x01020304u);
  EXPECT_EQ(v->payload.size(), 160u);
  EXPECT_EQ(v->payload.data(), p.data() + 12);  // a view, not a copy
}

TEST(RtpPacket, CsrcExtensionAndPadding) {
  // V=2 P=1 X=1 CC=2; 2 CSRCs; extension of 1 word; 4 payload bytes; 4 padding bytes.
  std::vector<std::uint8_t> p = {0xb2, 0x00, 0,   1,   0, 0, 0, 2,  0, 0, 0, 3,  // header
                                 0,    0,    0,   9,   0, 0, 0, 10,              // CSRCs
                                 0xbe, 0xde, 0,   1,   1, 2, 3, 4,               // extension
                                 'a',  'b',  'c', 'd',                           // payload
                                 0,    0,    0,   4};                            // padding
  auto v = parse_rtp(p);
  ASSERT_TRUE(v) << v.error().what();
  EXPECT_EQ(v->csrc_count, 2);
  EXPECT_EQ(v->header_size, 28u);
  ASSERT_EQ(v->payload.size(), 4u);
  EXPECT_EQ(v->payload[0], 'a');
}

TEST(RtpPacket, RejectsBadPackets) {
  std::vector<std::uint8_t> short_one(11, 0x80);
  EXPECT_EQ(parse_rtp(short_one).error().code, errc::too_short);
  auto p = packet({}, 4);
  p[0] = 0x40;  // version 1
  EXPECT_EQ(parse_rtp(p).error().code, errc::bad_version);
  p = packet({}, 4);
  p[0] = 0x8f;  // 15 CSRCs announced, none present
  EXPECT_EQ(parse_rtp(p).error().code, errc::too_short);
  p = packet({}, 4);
  p[0] = 0x90;  // extension announced, none present
  EXPECT_EQ(parse_rtp(p).error().code, errc::too_short);
  p = packet({}, 4);
  p[0] = 0xa0;
  p.back() = 0;  // padding count zero
  EXPECT_EQ(parse_rtp(p).error().code, errc::bad_padding);
  p.back() = 9;  // more padding than payload
  EXPECT_EQ(parse_rtp(p).error().code, errc::bad_padding);
}

TEST(RtpPacket, InPlaceRewrites) {
  auto p = packet({true, 0, 1, 2, 3}, 10);
  set_payload_type(p, 101);
  set_sequence(p, 500);
  set_timestamp(p, 600);
  set_ssrc(p, 700);
  auto v = parse_rtp(p);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->marker);
  EXPECT_EQ(v->payload_type, 101);
  EXPECT_EQ(v->sequence, 500);
  EXPECT_EQ(v->timestamp, 600u);
  EXPECT_EQ(v->ssrc, 700u);
  set_marker(p, false);
  EXPECT_FALSE(parse_rtp(p)->marker);
  EXPECT_EQ(parse_rtp(p)->payload_type, 101);
}

TEST(RtpPacket, DemuxAndSequenceArithmetic) {
  const std::uint8_t rtcp[] = {0x80, 200, 0, 1};
  const std::uint8_t rtp[] = {0x80, 0, 0, 1};
  EXPECT_TRUE(is_rtcp(rtcp));
  EXPECT_FALSE(is_rtcp(rtp));
  EXPECT_EQ(sequence_delta(2, 65534), 4);
  EXPECT_EQ(sequence_delta(65534, 2), -4);
}

}  // namespace
}  // namespace portier::rtp
