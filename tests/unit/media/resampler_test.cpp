#include "media/resampler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <span>
#include <stdexcept>
#include <vector>

#include "media/goertzel.hpp"
#include "media/tone_generator.hpp"

namespace portier::media {
namespace {

using namespace std::chrono_literals;

double rms(std::span<const std::int16_t> block) {
  double energy = 0;
  for (auto x : block) energy += static_cast<double>(x) * x;
  return block.empty() ? 0 : std::sqrt(energy / static_cast<double>(block.size()));
}

// Runs `in` through `r` in blocks of `block` samples, the way a call feeds 20 ms frames.
std::vector<std::int16_t> run_blocks(Resampler& r, const std::vector<std::int16_t>& in, std::size_t block) {
  std::vector<std::int16_t> out;
  for (std::size_t i = 0; i < in.size(); i += block) {
    r.process(std::span(in).subspan(i, std::min(block, in.size() - i)), out);
  }
  return out;
}

TEST(Resampler, RejectsUnsupportedRates) {
  EXPECT_THROW(Resampler(8000, 44100), std::invalid_argument);
  EXPECT_THROW(Resampler(44100, 48000), std::invalid_argument);
  EXPECT_THROW(Resampler(16000, 24000), std::invalid_argument);  // 2:3 is not a whole ratio
  EXPECT_THROW(Resampler(0, 48000), std::invalid_argument);
  EXPECT_FALSE(Resampler::supported(8000, 12000));
  EXPECT_TRUE(Resampler::supported(8000, 48000));
  EXPECT_TRUE(Resampler::supported(48000, 16000));
  EXPECT_NO_THROW(Resampler(16000, 48000));
}

TEST(Resampler, LengthsAreExact) {
  Resampler up(8000, 48000), down(48000, 8000);
  const std::vector<std::int16_t> frame(160, 1000);
  std::vector<std::int16_t> wide, narrow;
  for (int i = 0; i < 5; ++i) {
    wide.clear();
    up.process(frame, wide);
    ASSERT_EQ(wide.size(), 960u);
    narrow.clear();
    down.process(wide, narrow);
    ASSERT_EQ(narrow.size(), 160u);
  }
  // A constant passes at unity gain once the filter has filled.
  EXPECT_NEAR(wide.back(), 1000, 2);
  EXPECT_NEAR(narrow.back(), 1000, 2);

  // Odd block sizes keep the decimation phase: 7 + 5 + 6 input samples at 3:1 give 6 outputs in all.
  Resampler third(48000, 16000);
  std::vector<std::int16_t> out;
  third.process(std::vector<std::int16_t>(7, 0), out);
  EXPECT_EQ(out.size(), 3u);
  third.process(std::vector<std::int16_t>(5, 0), out);
  EXPECT_EQ(out.size(), 4u);
  third.process(std::vector<std::int16_t>(6, 0), out);
  EXPECT_EQ(out.size(), 6u);
  Resampler wideband(16000, 48000);
  out.clear();
  wideband.process(std::vector<std::int16_t>(320, 0), out);
  EXPECT_EQ(out.size(), 960u);
}

TEST(Resampler, BlocksJoinLikeOneStream) {
  const auto tone = make_tone(1000, 440, 200ms, 6000, 8000);
  Resampler whole_up(8000, 48000), blocks_up(8000, 48000);
  std::vector<std::int16_t> whole;
  whole_up.process(tone, whole);
  const auto blocked = run_blocks(blocks_up, tone, 160);
  EXPECT_EQ(whole, blocked);

  Resampler whole_down(48000, 8000), blocks_down(48000, 8000);
  std::vector<std::int16_t> back;
  whole_down.process(whole, back);
  EXPECT_EQ(back, run_blocks(blocks_down, whole, 333));  // a block size that is not a multiple of 6
  EXPECT_EQ(back.size(), tone.size());
}

TEST(Resampler, UpsamplingKeepsTheToneWithoutImages) {
  // 1 kHz at 8 kHz has images at 7, 9, 15, 17 ... kHz once zero-stuffed to 48 kHz; the filter must remove them.
  Resampler up(8000, 48000);
  const auto out = run_blocks(up, make_tone(1000, 0, 100ms, 8000, 8000), 160);
  ASSERT_EQ(out.size(), 4800u);
  const std::span<const std::int16_t> block = std::span(out).subspan(960, 960);  // past the filter's delay
  EXPECT_GT(Goertzel(1000, 48000).relative_power(block), 0.999);  // everything else is > 30 dB down
  EXPECT_LT(Goertzel(7000, 48000).relative_power(block), 1e-4);
  EXPECT_NEAR(rms(block), 8000 / std::sqrt(2.0), 100);  // unity gain
}

TEST(Resampler, DownsamplingFiltersAliases) {
  // At 8 kHz, 5 kHz and 7 kHz would fold to 3 kHz and 1 kHz. They lie above the new Nyquist frequency, so the
  // anti-aliasing filter must take them out (> 30 dB) while the 1 kHz and 3 kHz tones below it pass unchanged.
  for (double alias : {5000.0, 7000.0}) {
    Resampler down(48000, 8000);
    const auto out = run_blocks(down, make_tone(alias, 0, 100ms, 8000, 48000), 960);
    ASSERT_EQ(out.size(), 800u);
    const double attenuation_db = 20 * std::log10(rms(std::span(out).subspan(160)) / (8000 / std::sqrt(2.0)));
    EXPECT_LT(attenuation_db, -30.0) << alias << " Hz";
  }
  for (double pass : {1000.0, 3000.0}) {
    Resampler down(48000, 8000);
    const auto out = run_blocks(down, make_tone(pass, 0, 100ms, 8000, 48000), 960);
    const std::span<const std::int16_t> block = std::span(out).subspan(160, 400);
    EXPECT_TRUE(Goertzel(pass, 8000).detect(block, 0.95)) << pass << " Hz";
    EXPECT_NEAR(rms(block), 8000 / std::sqrt(2.0), 8000 / std::sqrt(2.0) * 0.06) << pass << " Hz";  // within 0.5 dB
  }
}

TEST(Resampler, ResetForgetsHistoryAndSaturates) {
  Resampler up(8000, 48000);
  std::vector<std::int16_t> first, second;
  up.process(std::vector<std::int16_t>(160, 32767), first);
  up.reset();
  up.process(std::vector<std::int16_t>(160, 32767), second);
  EXPECT_EQ(first, second);
  // A full-scale square wave overshoots in the filter (Gibbs): the output clips at the rails instead of wrapping
  // around, which would show as a jump of nearly 65536 between neighbours (band-limited steps are far smaller).
  std::vector<std::int16_t> square;
  for (int i = 0; i < 320; ++i) square.push_back((i / 8) % 2 ? -32768 : 32767);
  std::vector<std::int16_t> out;
  up.process(square, out);
  EXPECT_EQ(*std::max_element(out.begin(), out.end()), 32767);
  EXPECT_EQ(*std::min_element(out.begin(), out.end()), -32768);
  for (std::size_t i = 1; i < out.size(); ++i) ASSERT_LT(std::abs(out[i] - out[i - 1]), 30000) << i;
  EXPECT_NE(up.dump().find("8000->48000"), std::string::npos);
}

TEST(Resampler, EqualRatesCopy) {
  Resampler same(48000, 48000);
  const auto tone = make_tone(1000, 0, 20ms, 8000, 48000);
  std::vector<std::int16_t> out;
  same.process(tone, out);
  EXPECT_EQ(out, tone);
}

}  // namespace
}  // namespace portier::media
