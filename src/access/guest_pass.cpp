#include "access/guest_pass.hpp"

#include <array>
#include <cctype>

#include "base/error.hpp"
#include "base/random.hpp"

namespace portier::access {
namespace {
constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool day_in(std::uint8_t days, int weekday) { return (days >> weekday) & 1U; }

// Built by appending: GCC 12 at -O3 warns falsely (-Wrestrict) about "x" + std::string(...).
Error bad_time(std::string_view text, std::string_view why) {
  std::string m(1, '\'');
  m.append(text).append("' is not a time of day (").append(why).append(")");
  return Error(errc::invalid_argument, std::move(m));
}
}  // namespace

std::string_view weekday_name(int weekday) { return kDays.at(static_cast<std::size_t>(weekday % 7)); }

Result<int> parse_weekday(std::string_view name) {
  for (std::size_t i = 0; i < kDays.size(); ++i)
    if (name.size() >= 3 && name.size() <= 9 && std::tolower(static_cast<unsigned char>(name[0])) == kDays[i][0] &&
        std::tolower(static_cast<unsigned char>(name[1])) == kDays[i][1] &&
        std::tolower(static_cast<unsigned char>(name[2])) == kDays[i][2])
      return static_cast<int>(i);
  std::string m("unknown weekday '");
  m.append(name).append("' (expected mon .. sun)");
  return Error(errc::invalid_argument, std::move(m));
}

Result<int> parse_clock_minutes(std::string_view text) {
  if (text.size() != 5 || text[2] != ':' || !std::isdigit(static_cast<unsigned char>(text[0])) ||
      !std::isdigit(static_cast<unsigned char>(text[1])) || !std::isdigit(static_cast<unsigned char>(text[3])) ||
      !std::isdigit(static_cast<unsigned char>(text[4])))
    return bad_time(text, "expected HH:MM");
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0))
    return bad_time(text, "00:00 .. 24:00");
  return h * 60 + m;
}

std::string format_clock_minutes(int minutes) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
  return buf;
}

bool schedule_allows(const std::vector<ScheduleWindow>& schedule, const SiteTimeZone& zone, Clock::SystemTime t) {
  if (schedule.empty()) return true;
  const auto local = zone.local(t);
  const int m = local.minute_of_day;
  const int yesterday = (local.weekday + 6) % 7;
  for (const auto& w : schedule) {
    if (w.from_minute < w.to_minute) {
      if (day_in(w.days, local.weekday) && m >= w.from_minute && m < w.to_minute) return true;
    } else {  // crosses midnight (or spans the whole day when from == to)
      if (day_in(w.days, local.weekday) && m >= w.from_minute) return true;
      if (day_in(w.days, yesterday) && m < w.to_minute) return true;
    }
  }
  return false;
}

std::optional<int> GuestPass::remaining_uses() const {
  if (!max_uses) return std::nullopt;
  return *max_uses > uses ? *max_uses - uses : 0;
}

std::string_view to_string(PassStatus status) {
  switch (status) {
    case PassStatus::upcoming: return "upcoming";
    case PassStatus::active: return "active";
    case PassStatus::exhausted: return "exhausted";
    case PassStatus::expired: return "expired";
    case PassStatus::revoked: return "revoked";
  }
  return "revoked";
}

PassStatus pass_status(const GuestPass& pass, Clock::SystemTime now) {
  if (pass.revoked_at) return PassStatus::revoked;
  if (now >= pass.valid_until) return PassStatus::expired;
  if (pass.max_uses && pass.uses >= *pass.max_uses) return PassStatus::exhausted;
  if (now < pass.valid_from) return PassStatus::upcoming;
  return PassStatus::active;
}

std::string_view to_string(PassDenial denial) {
  switch (denial) {
    case PassDenial::none: return "none";
    case PassDenial::invalid: return "invalid_pass";
    case PassDenial::expired: return "pass_expired";
    case PassDenial::exhausted: return "pass_exhausted";
    case PassDenial::not_yet_valid: return "pass_not_yet_valid";
    case PassDenial::outside_schedule: return "outside_schedule";
    case PassDenial::door_not_allowed: return "door_not_allowed";
    case PassDenial::pin_required: return "pin_required";
    case PassDenial::wrong_pin: return "wrong_pin";
    case PassDenial::pin_locked: return "pin_locked";
    case PassDenial::rate_limited: return "rate_limited";
  }
  return "invalid_pass";
}

PassDenial validity_denial(const GuestPass& pass, const SiteTimeZone& zone, Clock::SystemTime now) {
  switch (pass_status(pass, now)) {
    case PassStatus::revoked: return PassDenial::invalid;
    case PassStatus::expired: return PassDenial::expired;
    case PassStatus::exhausted: return PassDenial::exhausted;
    case PassStatus::upcoming: return PassDenial::not_yet_valid;
    case PassStatus::active: break;
  }
  if (!schedule_allows(pass.schedule, zone, now)) return PassDenial::outside_schedule;
  return PassDenial::none;
}

Status validate_pin(std::string_view pin) {
  if (pin.size() < 4 || pin.size() > 8)
    return Error(errc::invalid_argument, "pin: expected 4 to 8 digits");
  for (char c : pin)
    if (!std::isdigit(static_cast<unsigned char>(c))) return Error(errc::invalid_argument, "pin: digits only");
  return {};
}

std::string hash_pin(std::string_view pin) {
  const auto salt = random_hex(16);
  std::string salted = salt;
  salted.append(pin);
  std::string out("sha256$");
  out.append(salt).append(1, '$').append(sha256_hex(salted));
  return out;
}

bool verify_pin(std::string_view pin, std::string_view stored) {
  const auto first = stored.find('$');
  const auto second = first == std::string_view::npos ? first : stored.find('$', first + 1);
  if (second == std::string_view::npos || stored.substr(0, first) != "sha256") return false;
  std::string salted(stored.substr(first + 1, second - first - 1));
  salted.append(pin);
  return constant_time_equal(sha256_hex(salted), stored.substr(second + 1));
}

}  // namespace portier::access
