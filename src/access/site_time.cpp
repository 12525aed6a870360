#include "access/site_time.hpp"

#include <cctype>
#include <cstdio>

#include <date/tz.h>

#include "base/error.hpp"

namespace portier::access {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `n` digits at `pos`.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

Error bad(std::string_view text, std::string_view why) {
  std::string m(1, '\'');  // appended: GCC 12 -O3 warns falsely (-Wrestrict) on "x" + std::string
  m.append(text).append("' is not an ISO 8601 time (").append(why);
  m.append("; e.g. 2026-12-24T18:00 or 2026-12-24T18:00:00+01:00)");
  return Error(errc::invalid_argument, std::move(m));
}

}  // namespace

Result<SiteTimeZone> SiteTimeZone::named(std::string_view name) {
  try {
    if (name.empty()) {
      const date::time_zone* zone = nullptr;
      try {
        zone = date::current_zone();
      } catch (const std::exception&) {
        return utc();
      }
      return SiteTimeZone(zone, std::string(zone->name()));
    }
    if (name == "UTC" || name == "Etc/UTC") return utc();
    const auto* zone = date::locate_zone(name);
    return SiteTimeZone(zone, std::string(zone->name()));
  } catch (const std::exception& e) {
    std::string m("unknown time zone '");
    m.append(name).append("' (expected an IANA name such as Europe/Berlin; is tzdata installed?)");
    return Error(errc::invalid_argument, std::move(m));
  }
}

SiteTimeZone SiteTimeZone::utc() { return SiteTimeZone(nullptr, "UTC"); }

Result<Clock::SystemTime> SiteTimeZone::parse(std::string_view text) const {
  const std::string_view s = text;
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  if (!digits(s, pos, 4, y) || !expect(s, pos, '-') || !digits(s, pos, 2, mo) || !expect(s, pos, '-') ||
      !digits(s, pos, 2, d))
    return bad(text, "expected YYYY-MM-DD");
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad(text, "no such date");
  // Clock::SystemTime counts nanoseconds in 64 bits (years 1678..2262): stay well inside.
  if (y < 1970 || y > 2200) return bad(text, "year out of range 1970 .. 2200");
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return bad(text, "expected T after the date");
    ++pos;
    if (!digits(s, pos, 2, h) || !expect(s, pos, ':') || !digits(s, pos, 2, mi)) return bad(text, "expected HH:MM");
    if (expect(s, pos, ':')) {
      if (!digits(s, pos, 2, sec)) return bad(text, "expected seconds");
      if (expect(s, pos, '.')) {
        int frac = 0;
        std::size_t n = 0;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
          if (n < 3) frac = frac * 10 + (s[pos] - '0');
          ++n;
          ++pos;
        }
        if (n == 0) return bad(text, "expected fraction digits");
        for (std::size_t i = n; i < 3; ++i) frac *= 10;
        ms = frac;
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return bad(text, "time out of range");
  }
  const auto wall = std::chrono::hours(h) + minutes(mi) + seconds(sec) + std::chrono::milliseconds(ms);
  if (pos == s.size()) {  // wall time in the site zone
    const date::local_time<std::chrono::milliseconds> lt{date::local_days{ymd}.time_since_epoch() + wall};
    if (!zone_) return Clock::SystemTime{lt.time_since_epoch()};
    const auto sys = zone_->to_sys(lt, date::choose::earliest);
    return Clock::SystemTime{std::chrono::duration_cast<Clock::SystemTime::duration>(sys.time_since_epoch())};
  }
  minutes offset{0};
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    const int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh = 0, om = 0;
    if (!digits(s, pos, 2, oh)) return bad(text, "expected a UTC offset");
    expect(s, pos, ':');
    if (!digits(s, pos, 2, om)) return bad(text, "expected a UTC offset");
    if (oh > 18 || om > 59) return bad(text, "UTC offset out of range");
    offset = sign * (std::chrono::hours(oh) + minutes(om));
  } else {
    return bad(text, "unexpected text after the time");
  }
  if (pos != s.size()) return bad(text, "unexpected text after the offset");
  const auto utc_time = date::sys_days{ymd}.time_since_epoch() + wall - offset;
  return Clock::SystemTime{std::chrono::duration_cast<Clock::SystemTime::duration>(utc_time)};
}

SiteTimeZone::Local SiteTimeZone::local(Clock::SystemTime t) const {
  const auto sys = date::sys_time<std::chrono::minutes>{std::chrono::floor<minutes>(t.time_since_epoch())};
  const date::local_time<minutes> lt = zone_ ? date::floor<minutes>(zone_->to_local(sys))
                                             : date::local_time<minutes>{sys.time_since_epoch()};
  const auto day = date::floor<date::days>(lt);
  const date::weekday wd{day};
  Local out;
  out.weekday = static_cast<int>((wd.c_encoding() + 6) % 7);  // c_encoding: 0 = Sunday
  out.minute_of_day = static_cast<int>((lt - day).count());
  return out;
}

std::string SiteTimeZone::format(Clock::SystemTime t) const {
  const auto sys = date::sys_seconds{std::chrono::floor<seconds>(t.time_since_epoch())};
  if (!zone_) return date::format("%Y-%m-%dT%H:%M:%SZ", sys);
  const auto zt = date::make_zoned(zone_, sys);
  const std::string offset = date::format("%z", zt);  // +0100
  std::string s = date::format("%Y-%m-%dT%H:%M:%S", zt);
  s.append(offset, 0, 3).append(1, ':').append(offset, 3, std::string::npos);
  return s;
}

std::string SiteTimeZone::format_human(Clock::SystemTime t) const {
  const auto sys = date::sys_seconds{std::chrono::floor<seconds>(t.time_since_epoch())};
  if (!zone_) return date::format("%a %d %b %Y %H:%M", sys);
  return date::format("%a %d %b %Y %H:%M", date::make_zoned(zone_, sys));
}

}  // namespace portier::access
