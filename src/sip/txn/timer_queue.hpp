#pragma once
// Deadlines of transactions, earliest first. Entries are never removed: a transaction whose deadline moved simply
// ignores the stale entry when it pops (lazy deletion keeps scheduling O(log n)).
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.hpp"

namespace portier::sip::txn {

class TimerQueue {
 public:
  using Time = Clock::SteadyTime;

  void schedule(Time when, std::string key) { heap_.emplace(when, std::move(key)); }
  bool empty() const { return heap_.empty(); }
  Time next() const { return heap_.top().first; }
  // Removes and returns the key of the earliest entry when it is due at `now`.
  bool pop_due(Time now, std::string& key, Time& when) {
    if (heap_.empty() || heap_.top().first > now) return false;
    key = heap_.top().second;
    when = heap_.top().first;
    heap_.pop();
    return true;
  }
  std::size_t size() const { return heap_.size(); }

 private:
  using Entry = std::pair<Time, std::string>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
};

}  // namespace portier::sip::txn
