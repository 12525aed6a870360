#include "access/timer_fake.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace portier::access {
namespace {

using namespace std::chrono_literals;

TEST(FakeTimersTest, FiresInDeadlineOrderWithClockAtDeadline) {
  FakeClock clock;
  FakeTimers timers(clock);
  const auto t0 = clock.steady_now();
  std::vector<std::pair<int, std::chrono::milliseconds>> fired;
  auto a = timers.create_timer();
  auto b = timers.create_timer();
  a->start(30ms, [&] { fired.push_back({1, std::chrono::duration_cast<std::chrono::milliseconds>(clock.steady_now() - t0)}); });
  b->start(10ms, [&] { fired.push_back({2, std::chrono::duration_cast<std::chrono::milliseconds>(clock.steady_now() - t0)}); });
  timers.advance(100ms);
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_EQ(fired[0], (std::pair<int, std::chrono::milliseconds>{2, 10ms}));
  EXPECT_EQ(fired[1], (std::pair<int, std::chrono::milliseconds>{1, 30ms}));
  EXPECT_EQ(clock.steady_now() - t0, 100ms);
}

TEST(FakeTimersTest, RearmFromCallbackAndCancel) {
  FakeClock clock;
  FakeTimers timers(clock);
  int ticks = 0;
  auto t = timers.create_timer();
  std::function<void()> tick = [&] {
    ++ticks;
    t->start(10ms, tick);
  };
  t->start(10ms, tick);
  timers.advance(55ms);
  EXPECT_EQ(ticks, 5);
  EXPECT_TRUE(t->pending());
  t->cancel();
  timers.advance(1s);
  EXPECT_EQ(ticks, 5);
  EXPECT_FALSE(t->pending());
}

TEST(FakeTimersTest, DestroyedTimerNeverFires) {
  FakeClock clock;
  FakeTimers timers(clock);
  bool fired = false;
  auto t = timers.create_timer();
  t->start(1ms, [&] { fired = true; });
  t.reset();
  timers.advance(1s);
  EXPECT_FALSE(fired);
  EXPECT_EQ(timers.pending_count(), 0u);
}

TEST(FakeTimersTest, ZeroDelayRunsOnRunDue) {
  FakeClock clock;
  FakeTimers timers(clock);
  bool fired = false;
  auto t = timers.create_timer();
  t->start(0ms, [&] { fired = true; });
  EXPECT_FALSE(fired);
  timers.run_due();
  EXPECT_TRUE(fired);
}

}  // namespace
}  // namespace portier::access
