#include "media/goertzel.hpp"

#include <cmath>
#include <numbers>

namespace portier::media {

Goertzel::Goertzel(double frequency, int sample_rate)
    : coeff_(2.0 * std::cos(2.0 * std::numbers::pi * frequency / sample_rate)) {}

double Goertzel::power(std::span<const std::int16_t> block) const {
  double s1 = 0;
  double s2 = 0;
  for (auto x : block) {
    const double s0 = x + coeff_ * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff_ * s1 * s2;
}

double Goertzel::relative_power(std::span<const std::int16_t> block) const {
  double energy = 0;
  for (auto x : block) energy += static_cast<double>(x) * x;
  if (block.empty() || energy <= 0) return 0;
  // For A·sin on the bin, power ≈ (A·N/2)² and energy ≈ N·A²/2, so this ratio is ≈ 1.
  return 2.0 * power(block) / (static_cast<double>(block.size()) * energy);
}

bool Goertzel::detect(std::span<const std::int16_t> block, double threshold, double min_rms) const {
  if (block.empty()) return false;
  double energy = 0;
  for (auto x : block) energy += static_cast<double>(x) * x;
  if (std::sqrt(energy / static_cast<double>(block.size())) < min_rms) return false;
  return relative_power(block) > threshold;
}

}  // namespace portier::media
