#include "access/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace portier::access {

double RateLimiter::refilled(const Bucket& b, Clock::SteadyTime now) const {
  const double minutes = std::chrono::duration<double, std::ratio<60>>(now - b.at).count();
  return std::min(options_.burst, b.tokens + std::max(0.0, minutes) * options_.per_minute);
}

void RateLimiter::prune(Clock::SteadyTime now) {
  for (auto it = buckets_.begin(); it != buckets_.end();)
    it = refilled(it->second, now) >= options_.burst ? buckets_.erase(it) : std::next(it);
  if (buckets_.size() < options_.max_keys) return;
  // Still full (many keys busy at once): drop the least recently used tenth in one pass, so that a flood of new keys
  // costs O(1) per request on average instead of a full scan each.
  std::vector<std::pair<Clock::SteadyTime, std::string>> by_age;
  by_age.reserve(buckets_.size());
  for (const auto& [key, bucket] : buckets_) by_age.emplace_back(bucket.at, key);
  const auto drop = std::max<std::size_t>(1, by_age.size() / 10);
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(drop - 1), by_age.end());
  for (std::size_t i = 0; i < drop; ++i) buckets_.erase(by_age[i].second);
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
