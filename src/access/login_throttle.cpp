#include "access/login_throttle.hpp"

#include <fmt/format.h>

namespace portier::access {

LoginThrottle::LoginThrottle(const Clock& clock, Options options) : clock_(clock), options_(options) {}

void LoginThrottle::prune(Entry& e, Clock::SteadyTime now) const {
  while (!e.failures.empty() && now - e.failures.front() >= options_.window) e.failures.pop_front();
}

std::chrono::seconds LoginThrottle::locked_for(const std::string& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::chrono::seconds{0};
  const auto now = clock_.steady_now();
  if (it->second.locked_until <= now) return std::chrono::seconds{0};
  return std::chrono::ceil<std::chrono::seconds>(it->second.locked_until - now);
}

void LoginThrottle::record_failure(const std::string& key) {
  const auto now = clock_.steady_now();
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    evict_if_full();
    it = entries_.emplace(key, Entry{}).first;
    order_.push_back(key);
  }
  Entry& e = it->second;
  prune(e, now);
  e.failures.push_back(now);
  if (static_cast<int>(e.failures.size()) >= options_.max_failures) {
    e.locked_until = now + options_.lockout;
    e.failures.clear();
  }
}

void LoginThrottle::reset(const std::string& key) { entries_.erase(key); }

void LoginThrottle::evict_if_full() {
  while (entries_.size() >= options_.max_keys && !order_.empty()) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
  // order_ may hold keys already erased by reset(); keep it from growing without bound.
  if (order_.size() > 2 * options_.max_keys) {
    std::deque<std::string> live;
    for (auto& k : order_)
      if (entries_.count(k)) live.push_back(k);
    order_.swap(live);
  }
}

std::string LoginThrottle::dump() const {
  return fmt::format("LoginThrottle{{keys={}, max_failures={}, window={}s, lockout={}s}}", entries_.size(),
                     options_.max_failures, options_.window.count(), options_.lockout.count());
}

}  // namespace portier::access
