#include "access/login_throttle.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using portier::FakeClock;
using portier::access::LoginThrottle;

TEST(LoginThrottle, LocksAfterMaxFailuresWithinWindow) {
  FakeClock clock;
  LoginThrottle t(clock, {3, std::chrono::seconds{60}, std::chrono::seconds{300}, 100});
  t.record_failure("user:a");
  t.record_failure("user:a");
  EXPECT_EQ(t.locked_for("user:a").count(), 0);
  t.record_failure("user:a");
  EXPECT_EQ(t.locked_for("user:a"), 300s);
  EXPECT_EQ(t.locked_for("user:b").count(), 0);
  clock.advance(299s);
  EXPECT_EQ(t.locked_for("user:a"), 1s);
  clock.advance(1s);
  EXPECT_EQ(t.locked_for("user:a").count(), 0);
}

TEST(LoginThrottle, FailuresOutsideWindowAreForgotten) {
  FakeClock clock;
  LoginThrottle t(clock, {3, std::chrono::seconds{60}, std::chrono::seconds{300}, 100});
  t.record_failure("k");
  t.record_failure("k");
  clock.advance(61s);
  t.record_failure("k");
  EXPECT_EQ(t.locked_for("k").count(), 0);
}

TEST(LoginThrottle, ResetClears) {
  FakeClock clock;
  LoginThrottle t(clock, {2, std::chrono::seconds{60}, std::chrono::seconds{300}, 100});
  t.record_failure("k");
  t.reset("k");
  t.record_failure("k");
  EXPECT_EQ(t.locked_for("k").count(), 0);
}

TEST(LoginThrottle, MemoryIsBounded) {
  FakeClock clock;
  LoginThrottle t(clock, {5, std::chrono::seconds{60}, std::chrono::seconds{300}, 50});
  for (int i = 0; i < 1000; ++i) t.record_failure("ip:" + std::to_string(i));
  EXPECT_LE(t.size(), 50u);
}
