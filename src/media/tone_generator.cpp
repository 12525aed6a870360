#include "media/tone_generator.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace portier::media {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

std::size_t samples(std::chrono::milliseconds d, int rate) { return static_cast<std::size_t>(d.count() * rate / 1000); }

void append(std::vector<std::int16_t>& out, double f1, double f2, std::chrono::milliseconds d, int rate) {
  auto tone = make_tone(f1, f2, d, 8000, rate);
  out.insert(out.end(), tone.begin(), tone.end());
}

void append_silence(std::vector<std::int16_t>& out, std::chrono::milliseconds d, int rate) {
  out.insert(out.end(), samples(d, rate), 0);
}

}  // namespace

ToneGenerator::ToneGenerator(double f1, double f2, std::int16_t amplitude, int sample_rate)
    : step1_(kTwoPi * f1 / sample_rate), step2_(kTwoPi * f2 / sample_rate), amplitude_(amplitude) {
  if (f2 <= 0) step2_ = -1;
}

void ToneGenerator::generate(std::span<std::int16_t> out) {
  for (auto& s : out) {
    double v = std::sin(phase1_);
    if (step2_ >= 0) v += std::sin(phase2_);
    s = static_cast<std::int16_t>(std::lround(std::clamp(v * amplitude_, -32768.0, 32767.0)));
    phase1_ = std::fmod(phase1_ + step1_, kTwoPi);
    if (step2_ >= 0) phase2_ = std::fmod(phase2_ + step2_, kTwoPi);
  }
}

std::vector<std::int16_t> make_tone(double f1, double f2, std::chrono::milliseconds length, std::int16_t amplitude,
                                    int sample_rate) {
  std::vector<std::int16_t> out(samples(length, sample_rate));
  ToneGenerator(f1, f2, amplitude, sample_rate).generate(out);
  return out;
}

std::vector<std::int16_t> make_dtmf_tone(char digit, std::chrono::milliseconds length, int sample_rate) {
  static constexpr char kKeys[4][4] = {
      {'1', '2', '3', 'A'}, {'4', '5', '6', 'B'}, {'7', '8', '9', 'C'}, {'*', '0', '#', 'D'}};
  static constexpr double kRows[4] = {697, 770, 852, 941};
  static constexpr double kCols[4] = {1209, 1336, 1477, 1633};
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) {
      if (kKeys[r][c] == digit) return make_tone(kRows[r], kCols[c], length, 6000, sample_rate);
    }
  }
  return {};
}

std::vector<std::int16_t> make_prompt(Prompt p, int rate) {
  using std::chrono::milliseconds;
  std::vector<std::int16_t> out;
  switch (p) {
    case Prompt::beep:
      append(out, 1000, 0, milliseconds(250), rate);
      break;
    case Prompt::ringback:
      append(out, 425, 0, milliseconds(1000), rate);
      append_silence(out, milliseconds(4000), rate);
      break;
    case Prompt::busy:
      for (int i = 0; i < 2; ++i) {
        append(out, 425, 0, milliseconds(500), rate);
        append_silence(out, milliseconds(500), rate);
      }
      break;
    case Prompt::door_opened:
      append(out, 660, 0, milliseconds(150), rate);
      append(out, 880, 0, milliseconds(150), rate);
      break;
  }
  return out;
}

}  // namespace portier::media
