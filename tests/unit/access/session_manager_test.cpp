#include "access/session_manager.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using portier::FakeClock;
using portier::access::SessionManager;

TEST(SessionManager, IdleExpiry) {
  FakeClock clock;
  SessionManager sm(clock, {std::chrono::seconds{600}, std::chrono::seconds{3600}, 100});
  auto t = sm.create(7);
  ASSERT_TRUE(sm.lookup(t.token));
  clock.advance(599s);
  ASSERT_TRUE(sm.lookup(t.token));  // refreshes the idle timer
  clock.advance(599s);
  ASSERT_TRUE(sm.lookup(t.token));
  clock.advance(600s);
  EXPECT_FALSE(sm.lookup(t.token));
  EXPECT_EQ(sm.size(), 0u);
}

TEST(SessionManager, AbsoluteExpiryDespiteActivity) {
  FakeClock clock;
  SessionManager sm(clock, {std::chrono::seconds{600}, std::chrono::seconds{1800}, 100});
  auto t = sm.create(7);
  for (int i = 0; i < 5; ++i) {
    clock.advance(300s);
    EXPECT_TRUE(sm.lookup(t.token)) << i;
  }
  clock.advance(300s);  // 1800 s since creation
  EXPECT_FALSE(sm.lookup(t.token));
}

TEST(SessionManager, CsrfAndDestroy) {
  FakeClock clock;
  SessionManager sm(clock, {});
  auto a = sm.create(1);
  auto b = sm.create(1);
  auto c = sm.create(2);
  EXPECT_NE(a.csrf, b.csrf);
  EXPECT_EQ(sm.lookup(a.token)->csrf, a.csrf);
  sm.destroy(a.token);
  EXPECT_FALSE(sm.lookup(a.token));
  sm.destroy_for_user(1);
  EXPECT_FALSE(sm.lookup(b.token));
  EXPECT_TRUE(sm.lookup(c.token));
  EXPECT_FALSE(sm.lookup(""));
  EXPECT_FALSE(sm.lookup("forged"));
}

TEST(SessionManager, BoundedTable) {
  FakeClock clock;
  SessionManager sm(clock, {std::chrono::seconds{600}, std::chrono::seconds{3600}, 10});
  for (int i = 0; i < 100; ++i) {
    sm.create(i);
    clock.advance(1s);
  }
  EXPECT_LE(sm.size(), 10u);
}
