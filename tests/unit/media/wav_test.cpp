#include <gtest/gtest.h>

#include <filesystem>

#include "media/tone_generator.hpp"
#include "media/wav.hpp"

namespace portier::media {
namespace {

TEST(Wav, RoundTripInMemoryAndOnDisk) {
  const auto tone = make_tone(1000, 0, std::chrono::milliseconds(250));
  const auto bytes = encode_wav(tone);
  EXPECT_EQ(bytes.size(), 44u + 2 * tone.size());
  auto back = decode_wav(bytes);
  ASSERT_TRUE(back) << back.error().what();
  EXPECT_EQ(back->sample_rate, 8000);
  EXPECT_EQ(back->samples, tone);

  const auto path = (std::filesystem::temp_directory_path() / "portier_wav_test.wav").string();
  ASSERT_TRUE(write_wav(path, tone));
  auto file = read_wav(path);
  ASSERT_TRUE(file) << file.error().what();
  EXPECT_EQ(file->samples, tone);
  std::filesystem::remove(path);
  EXPECT_FALSE(read_wav(path));
}

TEST(Wav, SkipsUnknownChunks) {
  std::vector<std::int16_t> s = {1, -2, 3};
  auto bytes = encode_wav(s);
  // Insert a LIST chunk (odd size, padded) between fmt and data.
  const std::string list = std::string("LIST") + std::string("\x03\0\0\0", 4) + "abc" + std::string(1, '\0');
  bytes.insert(36, list);
  auto back = decode_wav(bytes);
  ASSERT_TRUE(back) << back.error().what();
  EXPECT_EQ(back->samples, s);
}

TEST(Wav, RejectsWhatItCannotPlay) {
  EXPECT_FALSE(decode_wav(""));
  EXPECT_FALSE(decode_wav("RIFF\0\0\0\0WAVX"));
  std::vector<std::int16_t> s = {1, 2};
  auto stereo = encode_wav(s);
  stereo[22] = 2;  // channels
  auto r = decode_wav(stereo);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().what().find("mono"), std::string::npos);
  auto no_data = encode_wav(s).substr(0, 36);
  EXPECT_FALSE(decode_wav(no_data));
}

}  // namespace
}  // namespace portier::media
