#include <gtest/gtest.h>

#include <map>
#include <span>

#include "media/conference_mixer.hpp"
#include "media/goertzel.hpp"
#include "media/tone_generator.hpp"

namespace portier::media {
namespace {

using namespace std::chrono_literals;

std::vector<std::uint8_t> frame_of(G711Law law, std::int16_t value) {
  std::vector<std::int16_t> pcm(160, value);
  std::vector<std::uint8_t> enc(160);
  g711_encode(law, pcm, enc);
  return enc;
}

std::map<std::uint32_t, std::vector<std::int16_t>> tick(ConferenceMixer& m) {
  std::map<std::uint32_t, std::vector<std::int16_t>> out;
  m.tick([&](std::uint32_t id, std::span<const std::uint8_t> frame) {
    std::vector<std::int16_t> pcm(frame.size());
    g711_decode(id == 3 ? G711Law::alaw : G711Law::ulaw, frame, pcm);
    out[id] = pcm;
  });
  return out;
}

TEST(JitterQueue, PlaysInOrderWithGaps) {
  JitterQueue q(2, 8, 2);
  const std::int16_t a[2] = {1, 1}, b[2] = {2, 2}, d[2] = {4, 4};
  ASSERT_TRUE(q.push(100, a));
  EXPECT_FALSE(q.pop());         // pre-buffering: one frame is not enough
  ASSERT_TRUE(q.push(102, d));   // 101 is late
  ASSERT_TRUE(q.push(101, b));   // arrives out of order, still in time
  EXPECT_FALSE(q.push(101, b));  // duplicate
  auto p = q.pop();
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)[0], 1);
  EXPECT_EQ((*q.pop())[0], 2);
  EXPECT_EQ((*q.pop())[0], 4);
  EXPECT_FALSE(q.push(100, a));  // already played
  EXPECT_EQ(q.late(), 2u);
  EXPECT_FALSE(q.pop());  // ran dry
  EXPECT_EQ(q.gaps(), 1u);
  // A frame far ahead resynchronises instead of waiting.
  ASSERT_TRUE(q.push(5000, a));
  ASSERT_TRUE(q.push(5001, b));
  EXPECT_EQ(q.resyncs(), 1u);
  EXPECT_EQ((*q.pop())[0], 1);
}

TEST(ConferenceMixer, EachHearsTheOthersButNotThemselves) {
  ConferenceMixer m;
  ASSERT_TRUE(m.add(1, G711Law::ulaw));
  ASSERT_TRUE(m.add(2, G711Law::ulaw));
  ASSERT_TRUE(m.add(3, G711Law::alaw));
  EXPECT_FALSE(m.add(3, G711Law::alaw));
  // Two frames each (pre-buffer), constant levels 1000, 2000, 4000.
  for (std::uint16_t seq = 0; seq < 2; ++seq) {
    ASSERT_TRUE(m.push(1, seq, frame_of(G711Law::ulaw, 1000)));
    ASSERT_TRUE(m.push(2, seq, frame_of(G711Law::ulaw, 2000)));
    ASSERT_TRUE(m.push(3, seq, frame_of(G711Law::alaw, 4000)));
  }
  auto out = tick(m);
  ASSERT_EQ(out.size(), 3u);
  // G.711 quantisation: within 1/16 of the value.
  EXPECT_NEAR(out[1][80], 6000, 400);  // 2 + 3
  EXPECT_NEAR(out[2][80], 5000, 320);  // 1 + 3
  EXPECT_NEAR(out[3][80], 3000, 200);  // 1 + 2
}

TEST(ConferenceMixer, SaturatesInsteadOfWrapping) {
  ConferenceMixer m;
  for (std::uint32_t id : {1u, 2u, 4u}) ASSERT_TRUE(m.add(id, G711Law::ulaw));
  for (std::uint16_t seq = 0; seq < 2; ++seq) {
    for (std::uint32_t id : {1u, 2u, 4u}) ASSERT_TRUE(m.push(id, seq, frame_of(G711Law::ulaw, 30000)));
  }
  auto out = tick(m);
  EXPECT_GT(out[1][0], 30000);  // 60000 clipped to the top code, not wrapped negative
}

TEST(ConferenceMixer, ToneFromOneIsHeardByTheOthersOnly) {
  ConferenceMixer m;
  ASSERT_TRUE(m.add(1, G711Law::ulaw));
  ASSERT_TRUE(m.add(2, G711Law::ulaw));
  const auto tone = make_tone(700, 0, 200ms);
  std::vector<std::int16_t> heard_by_2, heard_by_1;
  for (std::uint16_t seq = 0; seq < 10; ++seq) {
    std::vector<std::uint8_t> enc(160);
    g711_encode(G711Law::ulaw, std::span(tone).subspan(seq * 160u, 160), enc);
    m.push(1, seq, enc);
    m.push(2, seq, frame_of(G711Law::ulaw, 0));
    auto out = tick(m);
    heard_by_2.insert(heard_by_2.end(), out[2].begin(), out[2].end());
    heard_by_1.insert(heard_by_1.end(), out[1].begin(), out[1].end());
  }
  // Skip the pre-buffer frames.
  EXPECT_TRUE(Goertzel(700, 8000).detect(std::span(heard_by_2).subspan(320, 800)));
  EXPECT_FALSE(Goertzel(700, 8000).detect(std::span(heard_by_1).subspan(320, 800)));
}

TEST(ConferenceMixer, DropsWrongSizedAndUnknown) {
  ConferenceMixer m;
  ASSERT_TRUE(m.add(1, G711Law::ulaw));
  std::vector<std::uint8_t> small(80);
  EXPECT_FALSE(m.push(1, 0, small));
  EXPECT_FALSE(m.push(9, 0, frame_of(G711Law::ulaw, 0)));
  EXPECT_EQ(m.dropped(), 2u);
  MixerConfig c;
  c.max_participants = 1;
  ConferenceMixer small_room(c);
  ASSERT_TRUE(small_room.add(1, G711Law::ulaw));
  EXPECT_FALSE(small_room.add(2, G711Law::ulaw));
}

TEST(ConferenceMixer, PlayIsMixedForOneParticipantUntilItEnds) {
  ConferenceMixer m;
  ASSERT_TRUE(m.add(1, G711Law::ulaw));
  ASSERT_TRUE(m.add(2, G711Law::ulaw));
  EXPECT_FALSE(m.play(7, std::vector<std::int16_t>(160, 1000)));
  ASSERT_TRUE(m.play(1, std::vector<std::int16_t>(200, 1000)));  // one full frame and 40 samples
  EXPECT_TRUE(m.playing(1));
  auto out = tick(m);
  EXPECT_NEAR(out[1][0], 1000, 40);
  EXPECT_NEAR(out[1][159], 1000, 40);
  EXPECT_EQ(out[2][0], 0);  // the other hears silence (nobody speaks)
  out = tick(m);
  EXPECT_NEAR(out[1][39], 1000, 40);  // the rest of the prompt, then silence
  EXPECT_EQ(out[1][40], 0);
  EXPECT_FALSE(m.playing(1));
  out = tick(m);
  EXPECT_EQ(out[1][0], 0);
}

}  // namespace
}  // namespace portier::media
