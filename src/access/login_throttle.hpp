#pragma once
// Counts failed logins per key (an account name or a client IP) in a sliding window and locks the key out for a
// while once it reaches the limit. Memory is bounded: the oldest keys are forgotten first.
#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <unordered_map>

#include "base/clock.hpp"

namespace portier::access {

class LoginThrottle {
 public:
  struct Options {
    int max_failures = 5;
    std::chrono::seconds window{std::chrono::minutes{15}};
    std::chrono::seconds lockout{std::chrono::minutes{15}};
    std::size_t max_keys = 100000;
  };
  LoginThrottle(const Clock& clock, Options options);

  // Seconds until the key may try again; zero when it is not locked.
  std::chrono::seconds locked_for(const std::string& key);
  void record_failure(const std::string& key);
  void reset(const std::string& key);
  std::size_t size() const { return entries_.size(); }
  std::string dump() const;

 private:
  struct Entry {
    std::deque<Clock::SteadyTime> failures;  // within the window, oldest first
    Clock::SteadyTime locked_until{};
  };
  void prune(Entry& e, Clock::SteadyTime now) const;
  void evict_if_full();

  const Clock& clock_;
  Options options_;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::string> order_;  // insertion order of keys, for eviction
};

}  // namespace portier::access
