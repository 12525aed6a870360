#include "intercom/dtmf_code_matcher.hpp"

namespace portier::intercom {

DtmfCodeMatcher::DtmfCodeMatcher(std::string code, int max_failures, std::chrono::seconds lockout,
                                 std::chrono::seconds digit_timeout)
    : code_(code.empty() ? "#" : std::move(code)),
      max_failures_(max_failures < 1 ? 1 : max_failures),
      lockout_(lockout),
      digit_timeout_(digit_timeout) {}

DtmfCodeMatcher::Outcome DtmfCodeMatcher::feed(char digit, Clock::SteadyTime now) {
  if (locked_until_) {
    if (now < *locked_until_) return Outcome::locked;
    locked_until_.reset();
    failures_ = 0;
  }
  if (!entered_.empty() && now - last_digit_ > digit_timeout_) entered_.clear();
  last_digit_ = now;
  entered_ += digit;
  if (entered_ == code_) {
    entered_.clear();
    failures_ = 0;
    return Outcome::match;
  }
  if (code_.compare(0, entered_.size(), entered_) == 0) return Outcome::partial;
  entered_.clear();
  if (++failures_ >= max_failures_) locked_until_ = now + lockout_;
  return Outcome::wrong;
}

const char* to_string(DtmfCodeMatcher::Outcome o) {
  switch (o) {
    case DtmfCodeMatcher::Outcome::partial: return "partial";
    case DtmfCodeMatcher::Outcome::match: return "match";
    case DtmfCodeMatcher::Outcome::wrong: return "wrong";
    case DtmfCodeMatcher::Outcome::locked: return "locked";
  }
  return "?";
}

}  // namespace portier::intercom
