#include <gtest/gtest.h>

#include <span>

#include "media/g711.hpp"
#include "media/goertzel.hpp"
#include "media/tone_generator.hpp"

namespace portier::media {
namespace {

using namespace std::chrono_literals;

TEST(Goertzel, DetectsTheToneAndOnlyIt) {
  const auto tone = make_tone(1000, 0, 100ms);
  ASSERT_EQ(tone.size(), 800u);
  const std::span<const std::int16_t> block(tone.data(), 400);
  EXPECT_TRUE(Goertzel(1000, 8000).detect(block));
  EXPECT_GT(Goertzel(1000, 8000).relative_power(block), 0.9);
  EXPECT_FALSE(Goertzel(1200, 8000).detect(block));
  EXPECT_LT(Goertzel(1200, 8000).relative_power(block), 0.1);
  std::vector<std::int16_t> silence(400, 0);
  EXPECT_FALSE(Goertzel(1000, 8000).detect(silence));
}

TEST(Goertzel, SurvivesG711) {
  for (auto law : {G711Law::ulaw, G711Law::alaw}) {
    auto tone = make_tone(440, 0, 50ms, 3000);
    std::vector<std::uint8_t> enc(tone.size());
    std::vector<std::int16_t> dec(tone.size());
    g711_encode(law, tone, enc);
    g711_decode(law, enc, dec);
    EXPECT_TRUE(Goertzel(440, 8000).detect(dec));
    EXPECT_FALSE(Goertzel(600, 8000).detect(dec));
  }
}

TEST(ToneGenerator, DtmfPairsAndPhaseContinuity) {
  const auto five = make_dtmf_tone('5', 100ms);
  ASSERT_EQ(five.size(), 800u);
  std::span<const std::int16_t> block(five.data(), 400);
  EXPECT_GT(Goertzel(770, 8000).relative_power(block), 0.3);
  EXPECT_GT(Goertzel(1336, 8000).relative_power(block), 0.3);
  EXPECT_LT(Goertzel(697, 8000).relative_power(block), 0.05);
  EXPECT_TRUE(make_dtmf_tone('x', 100ms).empty());
  // Two 80-sample calls equal one 160-sample call.
  ToneGenerator g1(1000), g2(1000);
  std::vector<std::int16_t> one(160), two(160);
  g1.generate(one);
  g2.generate(std::span(two).first(80));
  g2.generate(std::span(two).subspan(80));
  EXPECT_EQ(one, two);
}

TEST(ToneGenerator, Prompts) {
  EXPECT_EQ(make_prompt(Prompt::beep).size(), 2000u);
  EXPECT_EQ(make_prompt(Prompt::ringback).size(), 40000u);
  EXPECT_EQ(make_prompt(Prompt::busy).size(), 16000u);
  const auto door = make_prompt(Prompt::door_opened);
  EXPECT_TRUE(Goertzel(660, 8000).detect(std::span(door).first(1200)));
  EXPECT_TRUE(Goertzel(880, 8000).detect(std::span(door).subspan(1200)));
}

}  // namespace
}  // namespace portier::media
