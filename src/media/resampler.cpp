#include "media/resampler.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace portier::media {
namespace {

// 32 taps per phase and a Kaiser window with beta 8 give about 80 dB of stopband attenuation with a transition
// band of about 0.16 x the lower rate, centred on its Nyquist frequency (3.4-4.6 kHz for 8 kHz): the telephone band
// up to 3.4 kHz passes and nothing above 4.6 kHz folds back. Delay: 16 samples at the lower rate (2 ms at 8 kHz).
constexpr std::size_t kTapsPerPhase = 32;
constexpr double kKaiserBeta = 8.0;

bool known_rate(int rate) {
  return rate == 8000 || rate == 12000 || rate == 16000 || rate == 24000 || rate == 48000;
}

// Low-pass with the cutoff at 1/(2 * ratio) of the higher rate and a DC gain of 1.
std::vector<double> design_low_pass(std::size_t ratio) {
  const std::size_t n = kTapsPerPhase * ratio;
  const double centre = static_cast<double>(n - 1) / 2.0;
  const double i0_beta = std::cyl_bessel_i(0.0, kKaiserBeta);
  std::vector<double> h(n);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = (static_cast<double>(i) - centre) / static_cast<double>(ratio);
    const double sinc = t == 0 ? 1.0 : std::sin(std::numbers::pi * t) / (std::numbers::pi * t);
    const double r = (static_cast<double>(i) - centre) / centre;  // -1 .. 1 across the window
    const double kaiser = std::cyl_bessel_i(0.0, kKaiserBeta * std::sqrt(std::max(0.0, 1.0 - r * r))) / i0_beta;
    h[i] = sinc * kaiser;
    sum += h[i];
  }
  for (auto& v : h) v /= sum;
  return h;
}

std::int16_t saturate(float v) {
  const long rounded = std::lround(v);
  return static_cast<std::int16_t>(std::clamp(rounded, -32768L, 32767L));
}

float dot(const float* a, const float* b, std::size_t n) {
  float acc = 0;
  for (std::size_t i = 0; i < n; ++i) acc += a[i] * b[i];
  return acc;
}

}  // namespace

bool Resampler::supported(int from_rate, int to_rate) {
  if (!known_rate(from_rate) || !known_rate(to_rate)) return false;
  return from_rate % to_rate == 0 || to_rate % from_rate == 0;
}

Resampler::Resampler(int from_rate, int to_rate) : from_rate_(from_rate), to_rate_(to_rate) {
  if (!supported(from_rate, to_rate)) {
    throw std::invalid_argument("resampler: unsupported rates " + std::to_string(from_rate) + " -> " +
                                std::to_string(to_rate) + " Hz");
  }
  if (to_rate > from_rate) up_ = static_cast<std::size_t>(to_rate / from_rate);
  if (from_rate > to_rate) down_ = static_cast<std::size_t>(from_rate / to_rate);
  if (up_ > 1) {
    const auto h = design_low_pass(up_);
    // Phase p of output n*L + p is L * sum_k h[k*L + p] * x[n - k]; reversed so that x runs forwards.
    taps_.resize(h.size());
    for (std::size_t p = 0; p < up_; ++p) {
      for (std::size_t j = 0; j < kTapsPerPhase; ++j) {
        const std::size_t k = kTapsPerPhase - 1 - j;
        taps_[p * kTapsPerPhase + j] = static_cast<float>(static_cast<double>(up_) * h[k * up_ + p]);
      }
    }
    window_ = kTapsPerPhase;
  } else if (down_ > 1) {
    const auto h = design_low_pass(down_);
    taps_.assign(h.begin(), h.end());  // symmetric: no need to reverse
    window_ = h.size();
  }
  reset();
}

void Resampler::reset() {
  history_.assign(window_ > 0 ? window_ - 1 : 0, 0.0f);
  skip_ = 0;
}

void Resampler::process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out) {
  if (up_ == 1 && down_ == 1) {
    out.insert(out.end(), in.begin(), in.end());
    return;
  }
  scratch_.assign(history_.begin(), history_.end());
  scratch_.reserve(history_.size() + in.size());
  for (auto x : in) scratch_.push_back(static_cast<float>(x));
  if (up_ > 1) {
    upsample(scratch_, in.size(), out);
  } else {
    downsample(scratch_, in.size(), out);
  }
  std::copy(scratch_.end() - static_cast<std::ptrdiff_t>(history_.size()), scratch_.end(), history_.begin());
}

// `window` = history + `count` new samples; new sample n's outputs depend on window[n .. n + window_ - 1].
void Resampler::upsample(std::span<const float> window, std::size_t count, std::vector<std::int16_t>& out) const {
  out.reserve(out.size() + count * up_);
  for (std::size_t n = 0; n < count; ++n) {
    for (std::size_t p = 0; p < up_; ++p) {
      out.push_back(saturate(dot(&taps_[p * kTapsPerPhase], &window[n], kTapsPerPhase)));
    }
  }
}

void Resampler::downsample(std::span<const float> window, std::size_t count, std::vector<std::int16_t>& out) {
  std::size_t n = skip_;
  out.reserve(out.size() + count / down_ + 1);
  for (; n < count; n += down_) out.push_back(saturate(dot(taps_.data(), &window[n], window_)));
  skip_ = n - count;
}

std::string Resampler::dump() const {
  return "Resampler{" + std::to_string(from_rate_) + "->" + std::to_string(to_rate_) +
         " taps=" + std::to_string(taps_.size()) + " skip=" + std::to_string(skip_) + "}";
}

}  // namespace portier::media
