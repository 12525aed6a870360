#pragma once
// A guest pass: a link that opens some doors for a while. The link's token is never stored, only its SHA-256, so a
// copy of the database opens nothing. Whether a pass opens a door right now is decided here (pure functions of the
// pass, the time and the site's time zone), so the rules are tested without a server.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/site_time.hpp"
#include "base/clock.hpp"
#include "base/result.hpp"

namespace portier::access {

// One weekly window in site wall time: days (bit 0 = Monday .. bit 6 = Sunday), [from, to) in minutes of the day.
// `to` <= `from` crosses midnight: "Fri 22:00-06:00" covers Friday night until Saturday 06:00.
struct ScheduleWindow {
  std::uint8_t days = 0x7f;
  int from_minute = 0;
  int to_minute = 24 * 60;
  bool operator==(const ScheduleWindow&) const = default;
};

// "mon", "tue", ... "sun" <-> 0 .. 6
std::string_view weekday_name(int weekday);
Result<int> parse_weekday(std::string_view name);
// "08:00" -> 480; "24:00" -> 1440.
Result<int> parse_clock_minutes(std::string_view text);
std::string format_clock_minutes(int minutes);
bool schedule_allows(const std::vector<ScheduleWindow>& schedule, const SiteTimeZone& zone, Clock::SystemTime t);

struct GuestPass {
  std::int64_t id = 0;
  std::string label;  // the guest's name as the host wrote it
  std::vector<std::string> doors;
  Clock::SystemTime valid_from{};
  Clock::SystemTime valid_until{};
  std::vector<ScheduleWindow> schedule;  // empty: any time inside the validity window
  std::optional<int> max_uses;           // nullopt: unlimited
  int uses = 0;
  std::string pin_hash;                  // "" = no PIN (see hash_pin)
  std::string note;
  std::string created_by;       // user id of the host
  std::string created_by_name;  // the host's name when the pass was made
  Clock::SystemTime created_at{};
  std::optional<Clock::SystemTime> revoked_at;
  std::optional<Clock::SystemTime> last_used_at;
  std::string token_hash;  // SHA-256 hex of the link's token
  int pin_failures = 0;
  std::optional<Clock::SystemTime> pin_locked_until;

  bool has_pin() const { return !pin_hash.empty(); }
  std::optional<int> remaining_uses() const;
};

// What a host sees in the list.
enum class PassStatus { upcoming, active, exhausted, expired, revoked };
std::string_view to_string(PassStatus status);
PassStatus pass_status(const GuestPass& pass, Clock::SystemTime now);

// Why a pass does not open a door now; `none` = it does.
enum class PassDenial {
  none,
  invalid,           // unknown or revoked link (the two look the same from outside)
  expired,
  exhausted,
  not_yet_valid,
  outside_schedule,
  door_not_allowed,  // the door is not on the pass (or does not exist)
  pin_required,
  wrong_pin,
  pin_locked,
  rate_limited,
};
std::string_view to_string(PassDenial denial);
// The validity part of the decision (revocation, window, uses, schedule); PIN and door are checked by the service.
PassDenial validity_denial(const GuestPass& pass, const SiteTimeZone& zone, Clock::SystemTime now);

// PINs are 4-8 digits. Stored as "sha256$<salt hex>$<hash hex>" (salted, compared in constant time). A PIN is a
// second factor for a link that leaked; the database holds no tokens, so a copy of it cannot use a PIN anyway.
Status validate_pin(std::string_view pin);
std::string hash_pin(std::string_view pin);
bool verify_pin(std::string_view pin, std::string_view stored);

}  // namespace portier::access
