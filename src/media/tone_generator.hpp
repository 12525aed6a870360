#pragma once
// Tones and built-in prompts as 16-bit PCM: a phase-continuous one- or two-frequency generator (DTMF, ringback,
// test tones) and a few cadenced prompts for visitors (beep before recording, ringback, busy, door opened).
#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

namespace portier::media {

class ToneGenerator {
 public:
  // `f2` = 0 for a single tone. `amplitude` is the peak of each component (two components add up).
  ToneGenerator(double f1, double f2 = 0, std::int16_t amplitude = 8000, int sample_rate = 8000);
  // Fills `out`, continuing the phase of the previous call so that frames join without clicks.
  void generate(std::span<std::int16_t> out);

 private:
  double step1_, step2_;
  double phase1_ = 0, phase2_ = 0;
  double amplitude_;
};

// A tone of `f1` (+ `f2`) for `length`.
std::vector<std::int16_t> make_tone(double f1, double f2, std::chrono::milliseconds length,
                                    std::int16_t amplitude = 8000, int sample_rate = 8000);
// The DTMF pair of a digit (RFC 4733 / Q.23 frequencies); empty for an unknown digit.
std::vector<std::int16_t> make_dtmf_tone(char digit, std::chrono::milliseconds length, int sample_rate = 8000);

enum class Prompt {
  beep,         // 1 kHz, 250 ms: "speak after the tone"
  ringback,     // 425 Hz, 1 s on, 4 s off (one cadence)
  busy,         // 425 Hz, 0.5 s on, 0.5 s off (two cadences)
  door_opened,  // rising 660 Hz then 880 Hz, 150 ms each
};
std::vector<std::int16_t> make_prompt(Prompt p, int sample_rate = 8000);

}  // namespace portier::media
