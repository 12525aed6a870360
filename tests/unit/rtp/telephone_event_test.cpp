#include <gtest/gtest.h>

#include <array>
#include <string>

#include "rtp/dtmf.hpp"
#include "rtp/rtp_error.hpp"
#include "rtp/telephone_event.hpp"

namespace portier::rtp {
namespace {

using namespace std::chrono_literals;

std::array<std::uint8_t, 4> payload(std::uint8_t event, bool end, std::uint16_t duration) {
  std::array<std::uint8_t, 4> p{};
  write_telephone_event(p, TelephoneEvent{event, end, 10, duration});
  return p;
}

// Feeds a planned event at `ts` and returns the digits reported.
std::string feed(TelephoneEventDetector& d, std::uint8_t event, std::uint32_t ts, bool drop_ends = false) {
  std::string out;
  for (const auto& pkt : plan_telephone_event(event, 100ms)) {
    if (drop_ends && pkt.payload.end) continue;
    std::array<std::uint8_t, 4> p{};
    write_telephone_event(p, pkt.payload);
    if (auto r = d.on_packet(ts, p)) out += r->digit;
  }
  return out;
}

TEST(TelephoneEvent, ParseWrite) {
  auto p = payload(11, true, 1234);
  auto e = parse_telephone_event(p);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->event, 11);
  EXPECT_TRUE(e->end);
  EXPECT_EQ(e->volume, 10);
  EXPECT_EQ(e->duration, 1234);
  const std::uint8_t shorter[] = {1, 2, 3};
  EXPECT_EQ(parse_telephone_event(shorter).error().code, errc::too_short);
}

TEST(TelephoneEvent, DigitCodes) {
  const std::string digits = "0123456789*#ABCD";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    EXPECT_EQ(event_to_digit(static_cast<std::uint8_t>(i)), digits[i]);
    EXPECT_EQ(digit_to_event(digits[i]), i);
  }
  EXPECT_EQ(digit_to_event('b'), 13);
  EXPECT_FALSE(event_to_digit(16));
  EXPECT_FALSE(digit_to_event('x'));
}

TEST(TelephoneEvent, PlanHasGrowingDurationsAndThreeEnds) {
  const auto plan = plan_telephone_event(5, 100ms);
  ASSERT_EQ(plan.size(), 5u + 3u);
  EXPECT_TRUE(plan[0].marker);
  EXPECT_EQ(plan[0].payload.duration, 160);
  EXPECT_EQ(plan[4].payload.duration, 800);
  for (int i = 5; i < 8; ++i) {
    EXPECT_TRUE(plan[i].payload.end);
    EXPECT_EQ(plan[i].payload.duration, 800);
    EXPECT_FALSE(plan[i].marker);
  }
  EXPECT_EQ(plan[7].at, 140ms);
}

TEST(TelephoneEvent, EachDigitReportedOnceDespiteEndRetransmissions) {
  TelephoneEventDetector d;
  std::string got;
  got += feed(d, 1, 1000);
  got += feed(d, 2, 3000);
  got += feed(d, 2, 5000);  // the same digit again is a new event (new timestamp)
  got += feed(d, 10, 7000);
  EXPECT_EQ(got, "122*");
  EXPECT_EQ(d.reported(), 4u);
  EXPECT_FALSE(d.flush());
}

TEST(TelephoneEvent, ReportsDurationAtTheEnd) {
  TelephoneEventDetector d;
  std::optional<TelephoneEventDetector::Detected> r;
  for (const auto& pkt : plan_telephone_event(9, 200ms)) {
    std::array<std::uint8_t, 4> p{};
    write_telephone_event(p, pkt.payload);
    if (auto x = d.on_packet(42, p)) r = x;
  }
  ASSERT_TRUE(r);
  EXPECT_EQ(r->digit, '9');
  EXPECT_EQ(r->duration, 1600u);
  EXPECT_EQ(r->timestamp, 42u);
}

TEST(TelephoneEvent, LostEndPacketsStillReportOnce) {
  TelephoneEventDetector d;
  EXPECT_EQ(feed(d, 4, 100, /*drop_ends=*/true), "");
  // The next event reveals that the previous one ended.
  EXPECT_EQ(feed(d, 7, 2000), "47");
  EXPECT_EQ(feed(d, 8, 4000, true), "");
  auto f = d.flush();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->digit, '8');
  EXPECT_FALSE(d.flush());
}

TEST(TelephoneEvent, OnlyEndPacketsOfTwoEvents) {
  TelephoneEventDetector d;
  auto start = payload(3, false, 160);
  EXPECT_FALSE(d.on_packet(10, start));
  auto end6 = payload(6, true, 800);
  auto r = d.on_packet(20, end6);  // ends event 6, reveals event 3
  ASSERT_TRUE(r);
  EXPECT_EQ(r->digit, '3');
  r = d.on_packet(20, end6);  // the retransmission reports 6
  ASSERT_TRUE(r);
  EXPECT_EQ(r->digit, '6');
  EXPECT_FALSE(d.on_packet(20, end6));
}

TEST(TelephoneEvent, MalformedPayloadsAreCounted) {
  TelephoneEventDetector d;
  const std::uint8_t bad[] = {1};
  EXPECT_FALSE(d.on_packet(1, bad));
  EXPECT_EQ(d.malformed(), 1u);
}

}  // namespace
}  // namespace portier::rtp
