#include "media/opus_codec.hpp"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <random>
#include <span>
#include <vector>

#include "media/goertzel.hpp"
#include "media/media_error.hpp"
#include "media/resampler.hpp"
#include "media/tone_generator.hpp"

namespace portier::media {
namespace {

using Packet = std::vector<std::uint8_t>;

std::unique_ptr<OpusEncoder> make_encoder(int rate = 48000, int channels = 1) {
  auto enc = OpusEncoder::create(rate, channels);
  EXPECT_TRUE(enc.ok()) << enc.error().what();
  return std::move(*enc);
}

std::unique_ptr<OpusDecoder> make_decoder(int rate = 48000, int channels = 1) {
  auto dec = OpusDecoder::create(rate, channels);
  EXPECT_TRUE(dec.ok()) << dec.error().what();
  return std::move(*dec);
}

Packet encode(OpusEncoder& enc, std::span<const std::int16_t> pcm) {
  Packet out(kOpusMaxPacketBytes);
  auto n = enc.encode(pcm, out);
  EXPECT_TRUE(n.ok()) << n.error().what();
  out.resize(n.ok() ? *n : 0);
  return out;
}

TEST(OpusCodec, RejectsBadSettings) {
  auto enc = OpusEncoder::create(44100);
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.error().code, errc::codec_error);
  EXPECT_FALSE(OpusEncoder::create(48000, 3).ok());
  EXPECT_FALSE(OpusEncoder::create(48000, 1, 0).ok());
  EXPECT_FALSE(OpusDecoder::create(22050).ok());
  EXPECT_FALSE(OpusDecoder::create(48000, 0).ok());
}

TEST(OpusCodec, EncodesOnlyWholeFrames) {
  auto enc = make_encoder();
  EXPECT_EQ(enc->frame_samples(), 960u);
  Packet out(kOpusMaxPacketBytes);
  std::vector<std::int16_t> short_frame(959, 0);
  auto r = enc->encode(short_frame, out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::bad_frame);
  auto stereo = make_encoder(48000, 2);
  EXPECT_FALSE(stereo->encode(std::vector<std::int16_t>(960, 0), out).ok());  // a mono frame is half a stereo one
  EXPECT_TRUE(stereo->encode(std::vector<std::int16_t>(1920, 0), out).ok());
  EXPECT_NE(enc->dump().find("failures=1"), std::string::npos) << enc->dump();
}

// The browser <-> door path: G.711-rate audio up to 48 kHz, through Opus, and back down to 8 kHz.
TEST(OpusCodec, ToneSurvivesResamplingAndOpus) {
  auto enc = make_encoder();
  auto dec = make_decoder();
  Resampler up(8000, 48000), down(48000, 8000);
  ToneGenerator tone(1000, 0, 8000, 8000);
  std::vector<std::int16_t> narrow(160), wide, decoded(kOpusMaxFrameSamples), back;
  int detected = 0;
  for (int frame = 0; frame < 25; ++frame) {
    tone.generate(narrow);
    wide.clear();
    up.process(narrow, wide);
    ASSERT_EQ(wide.size(), 960u);
    const auto packet = encode(*enc, wide);
    ASSERT_FALSE(packet.empty());
    EXPECT_LE(packet.size(), 32000 / 8 / 50 * 2u);  // about the configured 32 kbit/s
    auto n = dec->decode(packet, decoded);
    ASSERT_TRUE(n.ok()) << n.error().what();
    ASSERT_EQ(*n, 960u);
    back.clear();
    down.process(std::span(decoded).first(*n), back);
    ASSERT_EQ(back.size(), 160u);
    if (frame < 5) continue;  // the codec and the filters settle during the first frames
    EXPECT_GT(Goertzel(1000, 8000).relative_power(back), 0.9) << frame;
    EXPECT_LT(Goertzel(1500, 8000).relative_power(back), 0.05) << frame;
    detected += Goertzel(1000, 8000).detect(back) ? 1 : 0;
  }
  EXPECT_EQ(detected, 20);
  EXPECT_NE(dec->dump().find("packets=25"), std::string::npos) << dec->dump();
}

TEST(OpusCodec, StereoPacketsDecodeToMono) {
  auto enc = make_encoder(48000, 2);
  auto dec = make_decoder(48000, 1);
  ToneGenerator left(440, 0, 6000, 48000), right(440, 0, 6000, 48000);
  std::vector<std::int16_t> l(960), r(960), interleaved(1920), out(kOpusMaxFrameSamples);
  for (int frame = 0; frame < 10; ++frame) {
    left.generate(l);
    right.generate(r);
    for (std::size_t i = 0; i < 960; ++i) {
      interleaved[2 * i] = l[i];
      interleaved[2 * i + 1] = r[i];
    }
    auto n = dec->decode(encode(*enc, interleaved), out);
    ASSERT_TRUE(n.ok()) << n.error().what();
    ASSERT_EQ(*n, 960u);
    if (frame < 3) continue;
    EXPECT_TRUE(Goertzel(440, 48000).detect(std::span(out).first(960))) << frame;
  }
}

TEST(OpusCodec, CorruptPacketsAreErrors) {
  auto dec = make_decoder();
  std::vector<std::int16_t> out(kOpusMaxFrameSamples);
  const std::vector<Packet> corrupt = {
      {},                  // empty: not a request for concealment
      {0x03},              // code 3 (arbitrary frame count) without its count byte
      {0x03, 0x00},        // code 3 with zero frames
      {0x03, 0x3f},        // code 3 with 63 frames of 20 ms: over the 120 ms limit
      {0x01, 0x00},        // code 1 (two equal frames) with an odd payload length
      {0x02, 0xff, 0x00},  // code 2 whose first frame's length runs past the end
  };
  for (const auto& packet : corrupt) {
    auto r = dec->decode(packet, out);
    ASSERT_FALSE(r.ok()) << packet.size();
    EXPECT_EQ(r.error().code, errc::corrupt_packet) << packet.size();
  }
  EXPECT_NE(dec->dump().find("corrupt=6"), std::string::npos) << dec->dump();
}

TEST(OpusCodec, ShortOutputIsAnError) {
  auto enc = make_encoder();
  auto dec = make_decoder();
  const auto packet = encode(*enc, std::vector<std::int16_t>(960, 0));
  std::vector<std::int16_t> small(480);
  auto r = dec->decode(packet, small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::bad_frame);
}

TEST(OpusCodec, RandomBytesNeverOverrunTheOutput) {
  // libopus parses untrusted packets; whatever it makes of noise, the wrapper returns a bounded count or an error.
  auto dec = make_decoder();
  std::mt19937 rng(7);
  std::vector<std::int16_t> out(kOpusMaxFrameSamples + 16, 0x5a5a);
  int errors = 0;
  for (int i = 0; i < 2000; ++i) {
    Packet packet(1 + rng() % 200);
    for (auto& b : packet) b = static_cast<std::uint8_t>(rng());
    auto r = dec->decode(packet, std::span(out).first(kOpusMaxFrameSamples));
    if (!r.ok()) {
      ++errors;
      continue;
    }
    ASSERT_LE(*r, kOpusMaxFrameSamples);
    ASSERT_EQ(*r % 120, 0u);  // whole 2.5 ms units
  }
  for (std::size_t i = kOpusMaxFrameSamples; i < out.size(); ++i) ASSERT_EQ(out[i], 0x5a5a);  // guard untouched
  EXPECT_GT(errors, 0);
}

TEST(OpusCodec, LossConcealmentProducesSamples) {
  auto enc = make_encoder();
  auto dec = make_decoder();
  ToneGenerator tone(1000, 0, 8000, 48000);
  std::vector<std::int16_t> pcm(960), out(kOpusMaxFrameSamples);
  for (int frame = 0; frame < 10; ++frame) {
    tone.generate(pcm);
    ASSERT_TRUE(dec->decode(encode(*enc, pcm), out).ok());
  }
  std::fill(out.begin(), out.end(), 0);
  auto n = dec->decode_lost(960, out);
  ASSERT_TRUE(n.ok()) << n.error().what();
  EXPECT_EQ(*n, 960u);
  // Concealment continues the voice rather than going silent.
  EXPECT_TRUE(Goertzel(1000, 48000).detect(std::span(out).first(480), 0.5)) << dec->dump();
  EXPECT_EQ(dec->decode_lost(100, out).error().code, errc::bad_frame);   // not a multiple of 2.5 ms
  EXPECT_EQ(dec->decode_lost(0, out).error().code, errc::bad_frame);
  EXPECT_EQ(dec->decode_lost(6000, out).error().code, errc::bad_frame);  // over 120 ms
  EXPECT_EQ(dec->decode_lost(960, std::span(out).first(959)).error().code, errc::bad_frame);
  // Decoding carries on after the gap.
  tone.generate(pcm);
  auto next = dec->decode(encode(*enc, pcm), out);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 960u);
  EXPECT_NE(dec->dump().find("concealed=1"), std::string::npos) << dec->dump();
}

TEST(OpusCodec, NarrowbandDecoderGivesG711Rate) {
  // libopus can also decode straight to 8 kHz; the WebRTC endpoint may choose this over the resampler.
  auto enc = make_encoder();
  auto dec = make_decoder(8000);
  ToneGenerator tone(1000, 0, 8000, 48000);
  std::vector<std::int16_t> pcm(960), out(kOpusMaxFrameSamples);
  for (int frame = 0; frame < 10; ++frame) {
    tone.generate(pcm);
    auto n = dec->decode(encode(*enc, pcm), out);
    ASSERT_TRUE(n.ok());
    ASSERT_EQ(*n, 160u);
    if (frame < 3) continue;
    EXPECT_TRUE(Goertzel(1000, 8000).detect(std::span(out).first(160))) << frame;
  }
}

}  // namespace
}  // namespace portier::media
