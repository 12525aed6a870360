#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "media/g711.hpp"

namespace portier::media {
namespace {

TEST(G711, KnownCodes) {
  EXPECT_EQ(linear_to_ulaw(0), 0xff);
  EXPECT_EQ(ulaw_to_linear(0xff), 0);
  EXPECT_EQ(ulaw_to_linear(0x00), -32124);
  EXPECT_EQ(ulaw_to_linear(0x80), 32124);
  EXPECT_EQ(linear_to_ulaw(32767), 0x80);
  EXPECT_EQ(linear_to_ulaw(-32768), 0x00);
  EXPECT_EQ(linear_to_alaw(0), 0xd5);
  EXPECT_EQ(alaw_to_linear(0xd5), 8);
  EXPECT_EQ(alaw_to_linear(0x55), -8);
  EXPECT_EQ(alaw_to_linear(0xaa), 32256);
  EXPECT_EQ(alaw_to_linear(0x2a), -32256);
  EXPECT_EQ(linear_to_alaw(32767), 0xaa);
}

// Every 16-bit value comes back within half a quantisation step of its segment (plus clipping at the top).
TEST(G711, RoundTripErrorIsBounded) {
  for (int x = -32768; x <= 32767; ++x) {
    const auto pcm = static_cast<std::int16_t>(x);
    const int u = ulaw_to_linear(linear_to_ulaw(pcm));
    const int a = alaw_to_linear(linear_to_alaw(pcm));
    const int bound = std::max(16, std::abs(x) / 16) + (std::abs(x) > 32000 ? 700 : 0);
    ASSERT_LE(std::abs(u - x), bound) << "ulaw x=" << x;
    ASSERT_LE(std::abs(a - x), bound) << "alaw x=" << x;
  }
}

TEST(G711, CodesAreStable) {
  // decode -> encode -> decode is the identity on decoded values (μ-law's two zeros aside).
  for (int c = 0; c < 256; ++c) {
    const auto code = static_cast<std::uint8_t>(c);
    EXPECT_EQ(ulaw_to_linear(linear_to_ulaw(ulaw_to_linear(code))), ulaw_to_linear(code)) << c;
    EXPECT_EQ(linear_to_alaw(alaw_to_linear(code)), code) << c;
  }
}

TEST(G711, MonotonicDecode) {
  // Larger inputs never decode to smaller outputs.
  int prev_u = -40000, prev_a = -40000;
  for (int x = -32768; x <= 32767; x += 7) {
    const int u = ulaw_to_linear(linear_to_ulaw(static_cast<std::int16_t>(x)));
    const int a = alaw_to_linear(linear_to_alaw(static_cast<std::int16_t>(x)));
    ASSERT_GE(u, prev_u) << x;
    ASSERT_GE(a, prev_a) << x;
    prev_u = u;
    prev_a = a;
  }
}

TEST(G711, FramesAndPayloadTypes) {
  std::vector<std::int16_t> in = {0, 1000, -1000, 30000};
  std::vector<std::uint8_t> enc(4);
  std::vector<std::int16_t> out(4);
  g711_encode(G711Law::alaw, in, enc);
  g711_decode(G711Law::alaw, enc, out);
  for (std::size_t i = 0; i < in.size(); ++i) EXPECT_NEAR(out[i], in[i], std::max(16, std::abs(in[i]) / 16));
  EXPECT_EQ(g711_law_for_payload_type(0), G711Law::ulaw);
  EXPECT_EQ(g711_law_for_payload_type(8), G711Law::alaw);
  EXPECT_FALSE(g711_law_for_payload_type(9));
  EXPECT_EQ(payload_type_for(G711Law::alaw), 8);
}

// The relay's law conversion: every code lands on the nearest value of the other law (within that law's step), the
// sign is kept, and silence stays silence.
TEST(G711, LawToLawConversionKeepsTheValue) {
  for (int c = 0; c < 256; ++c) {
    const auto code = static_cast<std::uint8_t>(c);
    const int u = ulaw_to_linear(code);
    const int via_a = alaw_to_linear(ulaw_to_alaw(code));
    EXPECT_NEAR(via_a, u, std::max(16, std::abs(u) / 16)) << "u-law code " << c;
    const int a = alaw_to_linear(code);
    const int via_u = ulaw_to_linear(alaw_to_ulaw(code));
    EXPECT_NEAR(via_u, a, std::max(16, std::abs(a) / 16)) << "A-law code " << c;
  }
  EXPECT_EQ(ulaw_to_alaw(linear_to_ulaw(0)), linear_to_alaw(0));
  std::vector<std::uint8_t> frame = {linear_to_ulaw(1000), linear_to_ulaw(-1000)};
  g711_transcode(G711Law::ulaw, G711Law::alaw, frame);
  const std::vector<std::uint8_t> expected = {ulaw_to_alaw(linear_to_ulaw(1000)), ulaw_to_alaw(linear_to_ulaw(-1000))};
  EXPECT_EQ(frame, expected);
  EXPECT_LT(alaw_to_linear(frame[1]), 0);
  g711_transcode(G711Law::alaw, G711Law::alaw, frame);  // same law: untouched
  EXPECT_EQ(frame[0], ulaw_to_alaw(linear_to_ulaw(1000)));
}

}  // namespace
}  // namespace portier::media
