#include "access/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace portier::access {

double RateLimiter::refilled(const Bucket& b, Clock::SteadyTime now) const {
  const double minutes = std::chrono::duration<double, std::ratio<60>>(now - b.at).count();
  return std::min(options_.burst, b.tokens + std::max(0.0, minutes) * options_.per_minute);
}

void RateLimiter::prune(Clock::SteadyTime now) {
  for (auto it = buckets_.begin(); it != buckets_.end();)
    it = refilled(it->second, now) >= options_.burst ? buckets_.erase(it) : std::next(it);
  while (buckets_.size() >= options_.max_keys) {
    auto oldest = std::min_element(buckets_.begin(), buckets_.end(),
                                   [](const auto& a, const auto& b) { return a.second.at < b.second.at; });
    buckets_.erase(oldest);
  }
}

bool RateLimiter::allow(std::string_view key) {
  const auto now = clock_.steady_now();
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= options_.max_keys) prune(now);
    it = buckets_.emplace(std::string(key), Bucket{options_.burst, now}).first;
  }
  auto& b = it->second;
  b.tokens = refilled(b, now);
  b.at = now;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

int RateLimiter::retry_after(std::string_view key) const {
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end() || options_.per_minute <= 0) return 0;
  const double tokens = refilled(it->second, clock_.steady_now());
  if (tokens >= 1.0) return 0;
  return static_cast<int>(std::ceil((1.0 - tokens) * 60.0 / options_.per_minute));
}

}  // namespace portier::access
