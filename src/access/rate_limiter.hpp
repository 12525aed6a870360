#pragma once
// Token buckets per key (an IP address, a pass): `burst` requests at once, refilled at `per_minute`. Memory is
// bounded: when `max_keys` buckets exist, full (idle) ones are dropped first, then the least recently used tenth.
#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.hpp"

namespace portier::access {

class RateLimiter {
 public:
  struct Options {
    double per_minute = 30;
    double burst = 10;
    std::size_t max_keys = 100000;
  };
  RateLimiter(Options options, const Clock& clock) : options_(options), clock_(clock) {}

  // Takes one token; false when the key has none left (the caller answers 429).
  bool allow(std::string_view key);
  // Seconds until the key has a token again (0 when it has one).
  int retry_after(std::string_view key) const;
  std::size_t size() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens = 0;
    Clock::SteadyTime at{};
  };
  double refilled(const Bucket& b, Clock::SteadyTime now) const;
  void prune(Clock::SteadyTime now);

  Options options_;
  const Clock& clock_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace portier::access
