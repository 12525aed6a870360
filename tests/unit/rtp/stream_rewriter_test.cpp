#include <gtest/gtest.h>

#include <vector>

#include "rtp/stream_rewriter.hpp"

namespace portier::rtp {
namespace {

using namespace std::chrono_literals;

struct Out {
  std::uint16_t seq;
  std::uint32_t ts;
  std::uint32_t ssrc;
  bool marker;
};

Out pass(StreamRewriter& r, std::uint32_t ssrc, std::uint16_t seq, std::uint32_t ts,
         std::chrono::nanoseconds gap = 20ms) {
  std::vector<std::uint8_t> p(12 + 160);
  write_rtp_header(p, {false, 0, seq, ts, ssrc});
  auto h = parse_rtp(p);
  r.rewrite(p, *h, gap);
  auto o = parse_rtp(p);
  return {o->sequence, o->timestamp, o->ssrc, o->marker};
}

TEST(StreamRewriter, KeepsOneContinuousStreamAcrossSources) {
  StreamRewriter r(0xabcdef, 1000, 50000);
  auto a = pass(r, 1, 40000, 7);
  EXPECT_EQ(a.ssrc, 0xabcdefu);
  EXPECT_EQ(a.seq, 1000);
  EXPECT_EQ(a.ts, 50000u);
  EXPECT_FALSE(a.marker);
  auto b = pass(r, 1, 40001, 167);
  EXPECT_EQ(b.seq, 1001);
  EXPECT_EQ(b.ts, 50160u);
  // A new source (another phone answered) with unrelated numbers, 100 ms later.
  auto c = pass(r, 2, 9, 123456, 100ms);
  EXPECT_EQ(c.ssrc, 0xabcdefu);
  EXPECT_EQ(c.seq, 1002);
  EXPECT_EQ(c.ts, 50160u + 800u);
  EXPECT_TRUE(c.marker);
  auto d = pass(r, 2, 10, 123616);
  EXPECT_EQ(d.seq, 1003);
  EXPECT_EQ(d.ts, 50160u + 800u + 160u);
  EXPECT_EQ(r.source_switches(), 1u);
}

TEST(StreamRewriter, SequenceWrapAndReordering) {
  StreamRewriter r(5, 65534, 0);
  EXPECT_EQ(pass(r, 1, 10, 0).seq, 65534);
  EXPECT_EQ(pass(r, 1, 12, 320).seq, 0);      // 11 lost or late
  EXPECT_EQ(pass(r, 1, 11, 160).seq, 65535);  // late packet keeps its place
  EXPECT_EQ(pass(r, 1, 13, 480).seq, 1);
}

TEST(StreamRewriter, GeneratedPacketsFitIn) {
  StreamRewriter r(5, 100, 1000);
  pass(r, 1, 1, 1);
  const auto seq = r.take_sequence();
  EXPECT_EQ(seq, 101);
  const auto ts = r.timestamp_after(20ms);
  EXPECT_EQ(ts, 1160u);
  r.note_generated(ts);
  EXPECT_EQ(pass(r, 1, 2, 161).seq, 102);
}

}  // namespace
}  // namespace portier::rtp
