#pragma once
// Integer-ratio sample-rate conversion of mono 16-bit PCM, for transcoding G.711 (8 kHz) or wideband (16 kHz)
// audio to and from Opus (48 kHz). A windowed-sinc (Kaiser) FIR low-pass cut at the lower rate's Nyquist frequency
// removes the images of upsampling and the aliases of downsampling; it runs polyphase, so only the samples that
// are kept are computed. Streaming: the filter's history and the decimation phase carry over between calls, so
// 20 ms blocks processed one by one give exactly what one long block gives (no clicks at block joins).
// One Resampler per direction per call leg, owned by that leg and used from its strand only.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace portier::media {

class Resampler {
 public:
  // Rates from {8000, 12000, 16000, 24000, 48000} whose ratio is a whole number (8000 <-> 48000 and
  // 16000 <-> 48000 among them; equal rates copy). Other pairs are a configuration error: std::invalid_argument.
  Resampler(int from_rate, int to_rate);
  static bool supported(int from_rate, int to_rate);

  // Appends the converted samples of `in` to `out`: in.size() * to/from of them when upsampling; when
  // downsampling one per from/to input samples, counted across calls (160 in -> 960 out -> 160 back).
  void process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out);
  // Forgets the history (a new talk spurt or stream), as if newly constructed.
  void reset();

  int from_rate() const { return from_rate_; }
  int to_rate() const { return to_rate_; }
  std::string dump() const;

 private:
  void upsample(std::span<const float> window, std::size_t count, std::vector<std::int16_t>& out) const;
  void downsample(std::span<const float> window, std::size_t count, std::vector<std::int16_t>& out);

  int from_rate_;
  int to_rate_;
  std::size_t up_ = 1;    // L: output samples per input sample
  std::size_t down_ = 1;  // M: input samples per output sample
  // Upsampling: L phases of kTapsPerPhase taps each, stored phase after phase and reversed, so that every output
  // is one dot product over consecutive input samples. Downsampling: the whole filter (symmetric).
  std::vector<float> taps_;
  std::size_t window_ = 0;       // input samples one output depends on
  std::vector<float> history_;   // the last window_ - 1 input samples
  std::vector<float> scratch_;   // history_ + the current block; kept to avoid an allocation per call
  std::size_t skip_ = 0;         // downsampling: input samples to pass before the next output
};

}  // namespace portier::media
