#include "access/call_button.hpp"

#include <gtest/gtest.h>

#include "unit/access/line_fake.hpp"

namespace portier::access {
namespace {

using namespace std::chrono_literals;
using test::FakeInputLine;

struct Recorder : CallButton::Listener {
  std::vector<Clock::SteadyTime> rings;
  int throttled = 0;
  const Clock* clock = nullptr;
  void on_call_button_ring(CallButton&) override { rings.push_back(clock->steady_now()); }
  void on_call_button_throttled(CallButton&) override { ++throttled; }
};

class CallButtonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rec.clock = &clock;
    button.start();
  }
  // A clean press: `hold` down, then released.
  void press(std::chrono::milliseconds hold = 100ms) {
    line.edge(true, clock.steady_now());
    clock.advance(hold);
    line.edge(false, clock.steady_now());
    clock.advance(100ms);  // nobody presses again within a blink of letting go
  }
  // A press whose contact bounces `n` times within `span` on the way down and again on the way up.
  void bouncy_press(int n, std::chrono::microseconds span, std::chrono::milliseconds hold = 100ms) {
    const auto step = span / (2 * n);
    for (int i = 0; i < n; ++i) {
      line.edge(true, clock.steady_now());
      clock.advance(step);
      line.edge(false, clock.steady_now());
      clock.advance(step);
    }
    line.edge(true, clock.steady_now());
    clock.advance(hold);
    for (int i = 0; i < n; ++i) {
      line.edge(false, clock.steady_now());
      clock.advance(step);
      line.edge(true, clock.steady_now());
      clock.advance(step);
    }
    line.edge(false, clock.steady_now());
  }

  FakeClock clock;
  FakeInputLine line{"front.button"};
  Recorder rec;
  CallButton button{CallButtonConfig{"front.button", "front", 2ms, 15s}, &line, rec};
};

TEST_F(CallButtonTest, PressRingsImmediately) {
  const auto t = clock.steady_now();
  press();
  ASSERT_EQ(rec.rings.size(), 1u);
  EXPECT_EQ(rec.rings[0], t);
  EXPECT_EQ(button.stats().presses, 1u);
  EXPECT_EQ(button.stats().rings, 1u);
}

TEST_F(CallButtonTest, BouncesOnPressAndReleaseAreOnePress) {
  bouncy_press(5, 400us);
  EXPECT_EQ(button.stats().presses, 1u);
  EXPECT_EQ(button.stats().bounces, 10u);
  EXPECT_EQ(rec.rings.size(), 1u);
}

TEST_F(CallButtonTest, BurstOf100PressesIsOneRingPerWindowAndAllCounted) {
  for (int i = 0; i < 100; ++i) {
    line.edge(true, clock.steady_now());
    clock.advance(10ms);
    line.edge(false, clock.steady_now());
    clock.advance(10ms);
  }
  EXPECT_EQ(button.stats().presses, 100u);
  EXPECT_EQ(button.stats().rings, 1u);
  EXPECT_EQ(button.stats().throttled, 99u);
  EXPECT_EQ(button.stats().bounces, 0u);
  EXPECT_EQ(rec.throttled, 99);
}

TEST_F(CallButtonTest, BouncyBurstOverSeveralWindows) {
  // 100 bouncy presses 400 ms apart = 40 s: rings at 0, 15 s and 30 s.
  for (int i = 0; i < 100; ++i) {
    const auto start = clock.steady_now();
    bouncy_press(3, 1ms, 50ms);
    clock.advance(400ms - (clock.steady_now() - start));
  }
  EXPECT_EQ(button.stats().presses, 100u);
  EXPECT_EQ(button.stats().rings, 3u);
  EXPECT_EQ(button.stats().throttled, 97u);
  ASSERT_EQ(rec.rings.size(), 3u);
  EXPECT_EQ(rec.rings[1] - rec.rings[0], 15200ms);  // the first press at or after 15 s
  EXPECT_EQ(rec.rings[2] - rec.rings[1], 15200ms);
}

TEST_F(CallButtonTest, RingsAgainOnceWindowPassed) {
  press();
  clock.advance(14s);
  press();
  EXPECT_EQ(rec.rings.size(), 1u);
  clock.advance(1s);  // 15.2 s after the first ring
  press();
  EXPECT_EQ(rec.rings.size(), 2u);
}

TEST_F(CallButtonTest, MissingReleaseEdgeDoesNotLoseNextPress) {
  line.edge(true, clock.steady_now());
  clock.advance(20s);
  line.edge(true, clock.steady_now());  // the release edge was lost by the driver
  EXPECT_EQ(button.stats().presses, 2u);
  EXPECT_EQ(button.stats().rings, 2u);
}

TEST_F(CallButtonTest, NetworkPressSharesThrottle) {
  EXPECT_TRUE(button.press(clock.steady_now()));
  press();
  EXPECT_EQ(button.stats().presses, 2u);
  EXPECT_EQ(button.stats().rings, 1u);
}

TEST_F(CallButtonTest, ZeroBouncetimeCountsEveryActiveEdge) {
  FakeInputLine l("x");
  Recorder r;
  r.clock = &clock;
  CallButton b(CallButtonConfig{"x", "front", 0ms, 0ms}, &l, r);
  b.start();
  for (int i = 0; i < 10; ++i) l.edge(true, clock.steady_now());
  EXPECT_EQ(b.stats().presses, 10u);
  EXPECT_EQ(b.stats().rings, 10u);
}

TEST_F(CallButtonTest, DetachesOnDestruction) {
  FakeInputLine l("y");
  {
    CallButton b(CallButtonConfig{"y", "front"}, &l, rec);
    b.start();
    EXPECT_TRUE(l.attached());
  }
  EXPECT_FALSE(l.attached());
}

TEST_F(CallButtonTest, DumpShowsCounters) {
  press();
  press();
  const auto d = button.dump();
  EXPECT_NE(d.find("presses=2"), std::string::npos);
  EXPECT_NE(d.find("throttled=1"), std::string::npos);
}

}  // namespace
}  // namespace portier::access
