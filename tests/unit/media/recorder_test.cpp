#include <gtest/gtest.h>

#include <filesystem>

#include "media/g711.hpp"
#include "media/goertzel.hpp"
#include "media/recorder.hpp"
#include "media/tone_generator.hpp"
#include "media/wav.hpp"

namespace portier::media {
namespace {

using namespace std::chrono_literals;

struct Packet {
  std::vector<std::uint8_t> bytes;
  rtp::RtpView view() const { return *rtp::parse_rtp(bytes); }
};

Packet packet(std::uint8_t pt, std::uint16_t seq, std::uint32_t ts, std::span<const std::int16_t> pcm,
              std::uint32_t ssrc = 1) {
  Packet p;
  p.bytes.resize(12 + pcm.size());
  rtp::write_rtp_header(p.bytes, {false, pt, seq, ts, ssrc});
  if (auto law = g711_law_for_payload_type(pt)) g711_encode(*law, pcm, std::span(p.bytes).subspan(12));
  return p;
}

TEST(Recorder, RecordsUpToTheLimitAndSavesAWav) {
  Recorder r(1s);
  const auto tone = make_tone(500, 0, 2000ms);
  for (std::uint16_t i = 0; i < 100; ++i) {
    r.on_rtp_packet(packet(8, i, i * 160u, std::span(tone).subspan(i * 160u, 160)).view());
  }
  EXPECT_TRUE(r.full());
  EXPECT_EQ(r.samples().size(), 8000u);
  EXPECT_EQ(r.length(), 1000ms);
  const auto path = (std::filesystem::temp_directory_path() / "portier_recorder_test.wav").string();
  ASSERT_TRUE(r.save(path));
  auto wav = read_wav(path);
  ASSERT_TRUE(wav);
  EXPECT_EQ(wav->samples.size(), 8000u);
  EXPECT_TRUE(Goertzel(500, 8000).detect(std::span(wav->samples).subspan(4000, 400)));
  std::filesystem::remove(path);
}

TEST(Recorder, FillsGapsSkipsEventsAndLatePackets) {
  Recorder r(10s);
  std::vector<std::int16_t> pcm(160, 1000);
  r.on_rtp_packet(packet(0, 1, 0, pcm).view());
  r.on_rtp_packet(packet(0, 3, 320, pcm).view());  // packet 2 lost: 160 samples of silence
  r.on_rtp_packet(packet(0, 2, 160, pcm).view());  // arrives too late
  std::vector<std::int16_t> none;
  r.on_rtp_packet(packet(101, 4, 480, none).view());  // telephone-event: skipped
  ASSERT_EQ(r.samples().size(), 480u);
  EXPECT_EQ(r.samples()[200], 0);
  EXPECT_NEAR(r.samples()[400], 1000, 64);
}

}  // namespace
}  // namespace portier::media
