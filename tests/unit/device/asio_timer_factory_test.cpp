#include "device/asio_timer_factory.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

namespace portier::device {
namespace {

using namespace std::chrono_literals;

TEST(AsioTimerFactoryTest, FiresOnTheIoContext) {
  boost::asio::io_context io;
  AsioTimerFactory timers(io);
  auto t = timers.create_timer();
  bool fired = false;
  t->start(5ms, [&] { fired = true; });
  EXPECT_TRUE(t->pending());
  io.run_for(200ms);
  EXPECT_TRUE(fired);
  EXPECT_FALSE(t->pending());
}

TEST(AsioTimerFactoryTest, CancelledAndReplacedCallbacksNeverRun) {
  boost::asio::io_context io;
  AsioTimerFactory timers(io);
  auto a = timers.create_timer();
  auto b = timers.create_timer();
  int first = 0, second = 0, cancelled = 0;
  a->start(5ms, [&] { ++first; });
  a->start(10ms, [&] { ++second; });  // replaces
  b->start(1ms, [&] { ++cancelled; });
  b->cancel();
  io.run_for(100ms);
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);
  EXPECT_EQ(cancelled, 0);
}

TEST(AsioTimerFactoryTest, ExpiredButQueuedCompletionIsDroppedAfterCancel) {
  boost::asio::io_context io;
  AsioTimerFactory timers(io);
  auto t = timers.create_timer();
  int fired = 0;
  t->start(0ms, [&] { ++fired; });
  std::this_thread::sleep_for(5ms);  // the deadline has passed; the completion may already be queued
  t->cancel();
  io.run_for(20ms);
  EXPECT_EQ(fired, 0);
}

TEST(AsioTimerFactoryTest, DestroyedTimerIsSafe) {
  boost::asio::io_context io;
  AsioTimerFactory timers(io);
  int fired = 0;
  auto t = timers.create_timer();
  t->start(0ms, [&] { ++fired; });
  t.reset();
  io.run_for(20ms);
  EXPECT_EQ(fired, 0);
}

TEST(AsioTimerFactoryTest, CallbackMayRearmOrDestroyItsTimer) {
  boost::asio::io_context io;
  AsioTimerFactory timers(io);
  auto t = timers.create_timer();
  int ticks = 0;
  std::function<void()> tick = [&] {
    if (++ticks < 3) {
      t->start(1ms, tick);
    } else {
      t.reset();
    }
  };
  t->start(1ms, tick);
  io.run_for(200ms);
  EXPECT_EQ(ticks, 3);
}

}  // namespace
}  // namespace portier::device
