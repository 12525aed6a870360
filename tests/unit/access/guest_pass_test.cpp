// Guest-pass rules without a server: site time zones across DST, weekly schedules, status, PINs, rate limits.
#include "access/guest_pass.hpp"

#include <gtest/gtest.h>

#include "access/rate_limiter.hpp"
#include "access/site_time.hpp"

namespace portier::access {
namespace {

using namespace std::chrono_literals;

SiteTimeZone zone(const char* name) {
  auto z = SiteTimeZone::named(name);
  EXPECT_TRUE(z) << name;
  return *z;
}

Clock::SystemTime at(const SiteTimeZone& z, const char* text) {
  auto t = z.parse(text);
  EXPECT_TRUE(t) << text << ": " << (t ? "" : t.error().what());
  return *t;
}

TEST(SiteTime, ParsesInstantsAndWallTimes) {
  const auto berlin = zone("Europe/Berlin");
  EXPECT_EQ(format_iso8601(at(berlin, "2026-12-24T18:00:00Z")), "2026-12-24T18:00:00.000Z");
  EXPECT_EQ(format_iso8601(at(berlin, "2026-12-24T18:00:00+01:00")), "2026-12-24T17:00:00.000Z");
  EXPECT_EQ(format_iso8601(at(berlin, "2026-12-24T18:00:00.250-0130")), "2026-12-24T19:30:00.250Z");
  // Wall times: winter (+01:00) and summer (+02:00).
  EXPECT_EQ(format_iso8601(at(berlin, "2026-12-24T18:00")), "2026-12-24T17:00:00.000Z");
  EXPECT_EQ(format_iso8601(at(berlin, "2026-07-01T18:00:00")), "2026-07-01T16:00:00.000Z");
  EXPECT_EQ(format_iso8601(at(berlin, "2026-07-01")), "2026-06-30T22:00:00.000Z");
  EXPECT_EQ(berlin.format(at(berlin, "2026-07-01T18:00")), "2026-07-01T18:00:00+02:00");
  EXPECT_EQ(berlin.format(at(berlin, "2026-12-01T08:30")), "2026-12-01T08:30:00+01:00");
  EXPECT_EQ(SiteTimeZone::utc().format(at(berlin, "2026-12-01T08:30Z")), "2026-12-01T08:30:00Z");
}

TEST(SiteTime, DstGapAndOverlap) {
  const auto berlin = zone("Europe/Berlin");
  // 2026-03-29 02:30 does not exist in Berlin: the instant the clocks jump (03:00 CEST = 01:00 UTC).
  EXPECT_EQ(format_iso8601(at(berlin, "2026-03-29T02:30")), "2026-03-29T01:00:00.000Z");
  // 2026-10-25 02:30 happens twice: the first one (CEST, 00:30 UTC).
  EXPECT_EQ(format_iso8601(at(berlin, "2026-10-25T02:30")), "2026-10-25T00:30:00.000Z");
  // New York changes on other dates.
  const auto ny = zone("America/New_York");
  EXPECT_EQ(format_iso8601(at(ny, "2026-03-08T12:00")), "2026-03-08T16:00:00.000Z");
  EXPECT_EQ(format_iso8601(at(ny, "2026-03-07T12:00")), "2026-03-07T17:00:00.000Z");
}

TEST(SiteTime, RejectsBadText) {
  const auto z = SiteTimeZone::utc();
  for (const char* bad : {"", "tomorrow", "2026-13-01", "2026-02-30", "2026-01-01T25:00", "2026-01-01T10",
                          "2026-01-01T10:00+25:00", "2026-01-01T10:00Zjunk", "2026-1-1", "2026-01-01X10:00", "3026-12-20",
                          "1969-12-31T23:00Z"}) {
    auto t = z.parse(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_NE(t.error().what().find("ISO 8601"), std::string::npos);
  }
  EXPECT_FALSE(SiteTimeZone::named("Mars/Olympus_Mons"));
}

TEST(Schedule, WeekdaysAcrossDstInSiteTime) {
  const auto berlin = zone("Europe/Berlin");
  // Mon-Fri 08:00-18:00.
  const std::vector<ScheduleWindow> office = {{0b0011111, 8 * 60, 18 * 60}};
  // Friday before and Monday after the spring change: 08:00 local both times although the UTC offset moved.
  EXPECT_TRUE(schedule_allows(office, berlin, at(berlin, "2026-03-27T08:00")));
  EXPECT_TRUE(schedule_allows(office, berlin, at(berlin, "2026-03-30T08:00")));
  EXPECT_FALSE(schedule_allows(office, berlin, at(berlin, "2026-03-30T07:59")));
  EXPECT_FALSE(schedule_allows(office, berlin, at(berlin, "2026-03-30T18:00")));
  EXPECT_EQ(at(berlin, "2026-03-30T08:00") - at(berlin, "2026-03-27T08:00"), std::chrono::hours(3 * 24 - 1));
  EXPECT_FALSE(schedule_allows(office, berlin, at(berlin, "2026-03-28T12:00")));  // Saturday
  // The same instant is Monday 08:30 in Berlin but Monday 02:30 in New York.
  const auto t = at(berlin, "2026-11-30T08:30");
  EXPECT_TRUE(schedule_allows(office, berlin, t));
  EXPECT_FALSE(schedule_allows(office, zone("America/New_York"), t));
  EXPECT_TRUE(schedule_allows({}, berlin, t));  // no schedule: any time
}

TEST(Schedule, WindowsCrossingMidnight) {
  const auto z = SiteTimeZone::utc();
  const std::vector<ScheduleWindow> friday_night = {{1 << 4, 22 * 60, 6 * 60}};  // Fri 22:00 - Sat 06:00
  EXPECT_TRUE(schedule_allows(friday_night, z, at(z, "2026-11-27T23:00Z")));   // Friday
  EXPECT_TRUE(schedule_allows(friday_night, z, at(z, "2026-11-28T05:59Z")));   // Saturday morning
  EXPECT_FALSE(schedule_allows(friday_night, z, at(z, "2026-11-28T06:00Z")));
  EXPECT_FALSE(schedule_allows(friday_night, z, at(z, "2026-11-28T23:00Z")));  // Saturday night
  EXPECT_FALSE(schedule_allows(friday_night, z, at(z, "2026-11-27T05:00Z")));  // Friday morning
}

TEST(Schedule, ParsesDaysAndTimes) {
  EXPECT_EQ(*parse_weekday("Mon"), 0);
  EXPECT_EQ(*parse_weekday("sunday"), 6);
  EXPECT_FALSE(parse_weekday("xyz"));
  EXPECT_EQ(*parse_clock_minutes("08:30"), 510);
  EXPECT_EQ(*parse_clock_minutes("24:00"), 1440);
  EXPECT_FALSE(parse_clock_minutes("24:01"));
  EXPECT_FALSE(parse_clock_minutes("8:30"));
  EXPECT_EQ(format_clock_minutes(510), "08:30");
}

TEST(GuestPassRules, StatusAndValidity) {
  const auto z = SiteTimeZone::utc();
  GuestPass p;
  p.valid_from = at(z, "2026-12-01T00:00Z");
  p.valid_until = at(z, "2026-12-08T00:00Z");
  p.max_uses = 2;
  EXPECT_EQ(pass_status(p, at(z, "2026-11-30T23:59Z")), PassStatus::upcoming);
  EXPECT_EQ(validity_denial(p, z, at(z, "2026-11-30T23:59Z")), PassDenial::not_yet_valid);
  EXPECT_EQ(pass_status(p, at(z, "2026-12-01T00:00Z")), PassStatus::active);
  EXPECT_EQ(validity_denial(p, z, at(z, "2026-12-01T00:00Z")), PassDenial::none);
  EXPECT_EQ(pass_status(p, at(z, "2026-12-08T00:00Z")), PassStatus::expired);
  p.uses = 2;
  EXPECT_EQ(pass_status(p, at(z, "2026-12-02T00:00Z")), PassStatus::exhausted);
  EXPECT_EQ(p.remaining_uses(), 0);
  p.revoked_at = at(z, "2026-12-02T00:00Z");
  EXPECT_EQ(pass_status(p, at(z, "2026-12-02T00:00Z")), PassStatus::revoked);
  EXPECT_EQ(validity_denial(p, z, at(z, "2026-12-02T00:00Z")), PassDenial::invalid);
}

TEST(GuestPassRules, Pins) {
  EXPECT_TRUE(validate_pin("0123"));
  EXPECT_TRUE(validate_pin("12345678"));
  EXPECT_FALSE(validate_pin("123"));
  EXPECT_FALSE(validate_pin("123456789"));
  EXPECT_FALSE(validate_pin("12a4"));
  const auto h = hash_pin("0123");
  EXPECT_NE(h.find("sha256$"), std::string::npos);
  EXPECT_EQ(h.find("0123"), std::string::npos);
  EXPECT_NE(hash_pin("0123"), h);  // salted
  EXPECT_TRUE(verify_pin("0123", h));
  EXPECT_FALSE(verify_pin("123", h));
  EXPECT_FALSE(verify_pin("0123", "garbage"));
}

TEST(RateLimiter, BurstThenRefill) {
  FakeClock clock;
  RateLimiter limiter({60, 3, 100}, clock);  // one per second, three at once
  EXPECT_TRUE(limiter.allow("a"));
  EXPECT_TRUE(limiter.allow("a"));
  EXPECT_TRUE(limiter.allow("a"));
  EXPECT_FALSE(limiter.allow("a"));
  EXPECT_EQ(limiter.retry_after("a"), 1);
  EXPECT_TRUE(limiter.allow("b"));  // keys are independent
  clock.advance(1s);
  EXPECT_TRUE(limiter.allow("a"));
  EXPECT_FALSE(limiter.allow("a"));
}

TEST(RateLimiter, MemoryIsBounded) {
  FakeClock clock;
  RateLimiter limiter({1, 1, 50}, clock);
  for (int i = 0; i < 1000; ++i) limiter.allow("k" + std::to_string(i));
  EXPECT_LE(limiter.size(), 50u);
}

TEST(RateLimiter, AFloodOfNewKeysEvictsTheOldestAndKeepsRecentLimits) {
  FakeClock clock;
  RateLimiter limiter({1, 1, 100}, clock);
  EXPECT_TRUE(limiter.allow("attacker"));
  for (int i = 0; i < 1000; ++i) {
    clock.advance(std::chrono::milliseconds(1));
    limiter.allow("flood" + std::to_string(i));
    if (i % 50 == 0) {
      EXPECT_FALSE(limiter.allow("attacker")) << i;  // kept recent: still limited
    }
  }
  EXPECT_LE(limiter.size(), 100u);
}

}  // namespace
}  // namespace portier::access
