#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>

#include "access/guest_pass.hpp"
#include "access/site_time.hpp"
#include "api/guest_page.hpp"
#include "fuzz_entries.hpp"

namespace portier::fuzz {

int guest_input(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  static const auto berlin = access::SiteTimeZone::named("Europe/Berlin");
  for (const auto* zone : {&*berlin, static_cast<const access::SiteTimeZone*>(nullptr)}) {
    const auto z = zone ? *zone : access::SiteTimeZone::utc();
    auto t = z.parse(in);
    if (!t) continue;
    const auto seconds = std::chrono::floor<std::chrono::seconds>(*t);
    const auto year_s = std::chrono::duration_cast<std::chrono::seconds>(seconds.time_since_epoch()).count();
    if (year_s < 0 || year_s > 253'000'000'000LL) continue;  // 1970 .. ~9999: what format() prints parses back
    // What we print (site time with its offset) must name the same instant.
    auto back = z.parse(z.format(*t));
    if (!back || *back != seconds) std::abort();
    (void)z.local(*t);
    (void)z.format_human(*t);
  }
  if (auto m = access::parse_clock_minutes(in)) {
    if (*m < 0 || *m > 1440 || access::format_clock_minutes(*m) != in) std::abort();
  }
  (void)access::parse_weekday(in);
  (void)access::validate_pin(in);
  const auto lang = api::pick_language(in);
  if (lang != "en" && lang != "de") std::abort();
  const auto escaped = api::html_escape(in);
  if (escaped.find_first_of("<>\"'") != std::string::npos) std::abort();
  return 0;
}

}  // namespace portier::fuzz
