#pragma once
// Per-account lockout after repeated authentication failures. Unknown usernames are tracked exactly like known
// ones so that a scanner cannot tell them apart (alwaysauthreject). The table is bounded.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.hpp"

namespace portier::sip::ua {

class AuthLockout {
 public:
  struct Options {
    std::uint32_t max_failures = 5;          // failures within `window` that lock the account
    std::chrono::seconds window{300};
    std::chrono::seconds duration{600};      // how long a locked account stays locked
    std::size_t max_entries = 100000;
  };

  AuthLockout(const Clock& clock, Options options) : clock_(clock), options_(options) {}

  bool locked(std::string_view user) const;
  // Records a failure; true when this failure locked the account.
  bool fail(std::string_view user);
  void succeed(std::string_view user);
  void sweep();
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::uint32_t failures = 0;
    Clock::SteadyTime window_start{};
    Clock::SteadyTime locked_until{};
  };
  const Clock& clock_;
  Options options_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace portier::sip::ua
