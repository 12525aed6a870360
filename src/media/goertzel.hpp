#pragma once
// Goertzel single-frequency detector: how much of a block's energy lies at one frequency. Used by tests to prove
// that a tone sent into one side of the relay or mixer comes out of the other, and usable for in-band DTMF later.
#include <cstdint>
#include <span>

namespace portier::media {

class Goertzel {
 public:
  Goertzel(double frequency, int sample_rate);
  // Squared magnitude of the frequency's component in the block.
  double power(std::span<const std::int16_t> block) const;
  // Share of the block's energy at the frequency, about 1.0 for a pure tone on the bin and near 0 for silence or
  // other frequencies. Blocks of 160-400 samples at 8 kHz resolve tones 50 Hz apart.
  double relative_power(std::span<const std::int16_t> block) const;
  // relative_power above `threshold` and the block not silent (RMS above `min_rms`).
  bool detect(std::span<const std::int16_t> block, double threshold = 0.5, double min_rms = 100.0) const;

 private:
  double coeff_;
};

}  // namespace portier::media
