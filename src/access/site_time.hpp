#pragma once
// The site's time zone: guest-pass windows and weekly schedules are what a host means on the wall clock at the door,
// so "08:00" stays 08:00 across daylight-saving changes. Backed by the operating system's tz database (tzdata)
// through Howard Hinnant's date library; the zone is looked up once and is read-only afterwards.
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace date {
class time_zone;
}

namespace portier::access {

class SiteTimeZone {
 public:
  // "" = the machine's zone (/etc/localtime; UTC when it has none), else an IANA name such as "Europe/Berlin".
  static Result<SiteTimeZone> named(std::string_view name);
  static SiteTimeZone utc();

  const std::string& name() const { return name_; }

  // ISO 8601: "2026-12-24T18:00:00Z" and "...+01:00" are instants; "2026-12-24T18:00" (or with seconds) is wall time
  // in this zone; "2026-12-24" is midnight there. A wall time skipped by a DST change maps to the instant of the
  // change (02:30 on a spring-forward night -> 03:00); a repeated one to its first occurrence.
  Result<Clock::SystemTime> parse(std::string_view text) const;

  struct Local {
    int weekday = 0;        // 0 = Monday .. 6 = Sunday
    int minute_of_day = 0;  // 0 .. 1439
  };
  Local local(Clock::SystemTime t) const;
  // "2026-12-24T18:00:00+01:00": the wall time with its offset.
  std::string format(Clock::SystemTime t) const;
  // "Thu 24 Dec 2026 18:00": for pages people read (the zone name is shown once beside it).
  std::string format_human(Clock::SystemTime t) const;

 private:
  SiteTimeZone(const date::time_zone* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const date::time_zone* zone_;  // null: UTC
  std::string name_;
};

}  // namespace portier::access
