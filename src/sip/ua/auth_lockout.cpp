#include "sip/ua/auth_lockout.hpp"

namespace portier::sip::ua {

bool AuthLockout::locked(std::string_view user) const {
  auto it = entries_.find(std::string(user));
  return it != entries_.end() && clock_.steady_now() < it->second.locked_until;
}

bool AuthLockout::fail(std::string_view user) {
  const auto now = clock_.steady_now();
  auto it = entries_.find(std::string(user));
  if (it == entries_.end()) {
    if (entries_.size() >= options_.max_entries) sweep();
    if (entries_.size() >= options_.max_entries) return false;
    it = entries_.emplace(std::string(user), Entry{0, now, {}}).first;
  }
  auto& e = it->second;
  if (now - e.window_start > options_.window) {
    e.failures = 0;
    e.window_start = now;
  }
  if (++e.failures < options_.max_failures) return false;
  e.locked_until = now + options_.duration;
  e.failures = 0;
  e.window_start = now;
  return true;
}

void AuthLockout::succeed(std::string_view user) {
  auto it = entries_.find(std::string(user));
  if (it != entries_.end() && clock_.steady_now() >= it->second.locked_until) entries_.erase(it);
}

void AuthLockout::sweep() {
  const auto now = clock_.steady_now();
  std::erase_if(entries_, [&](const auto& kv) {
    return now >= kv.second.locked_until && now - kv.second.window_start > options_.window;
  });
}

}  // namespace portier::sip::ua
