#pragma once
// Matches key presses against a door's DTMF code ("#" by default, multi-digit allowed): digits accumulate while they
// are a prefix of the code; the full code opens, anything else is a wrong code. Wrong codes count towards a lockout
// during which digits are ignored. Pure (time is passed in), one per door so that the lockout spans calls.
#include <chrono>
#include <optional>
#include <string>

#include "base/clock.hpp"

namespace portier::intercom {

class DtmfCodeMatcher {
 public:
  enum class Outcome { partial, match, wrong, locked };

  DtmfCodeMatcher(std::string code, int max_failures, std::chrono::seconds lockout,
                  std::chrono::seconds digit_timeout);

  Outcome feed(char digit, Clock::SteadyTime now);
  int failures() const { return failures_; }
  bool locked(Clock::SteadyTime now) const { return locked_until_ && now < *locked_until_; }
  const std::string& code() const { return code_; }

 private:
  std::string code_;
  int max_failures_;
  std::chrono::seconds lockout_;
  std::chrono::seconds digit_timeout_;
  std::string entered_;
  Clock::SteadyTime last_digit_{};
  int failures_ = 0;
  std::optional<Clock::SteadyTime> locked_until_;
};

const char* to_string(DtmfCodeMatcher::Outcome o);

}  // namespace portier::intercom
