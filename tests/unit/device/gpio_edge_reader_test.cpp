// The kernel's line-event fd carries struct gpioevent_data records; a pipe carrying the same records stands in for
// a line here, so the io_context plumbing is tested without GPIO hardware.
#include "device/gpio/gpio_edge_reader.hpp"

#include <linux/gpio.h>
#include <time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <vector>

namespace portier::device::gpio {
namespace {

using namespace std::chrono_literals;

std::int64_t now_ns(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

class Pipe {
 public:
  Pipe() { EXPECT_EQ(::pipe(fds_), 0); }
  ~Pipe() {
    close_write();
    ::close(fds_[0]);
  }
  int read_end() const { return fds_[0]; }
  void send(bool rising, std::int64_t ns) {
    gpioevent_data ev{};
    ev.timestamp = static_cast<__u64>(ns);
    ev.id = rising ? GPIOEVENT_EVENT_RISING_EDGE : GPIOEVENT_EVENT_FALLING_EDGE;
    ASSERT_EQ(::write(fds_[1], &ev, sizeof ev), static_cast<ssize_t>(sizeof ev));
  }
  void close_write() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
};

struct Edge {
  bool active;
  Clock::SteadyTime when;
};

TEST(GpioEdgeReaderTest, DeliversEdgesOnTheIoContext) {
  boost::asio::io_context io;
  Pipe pipe;
  std::vector<Edge> edges;
  auto reader = GpioEdgeReader::create(io, pipe.read_end(), "test line",
                                       [&](bool active, Clock::SteadyTime when) { edges.push_back({active, when}); });
  ASSERT_TRUE(reader);
  const auto t0 = now_ns(CLOCK_MONOTONIC);
  pipe.send(true, t0);
  pipe.send(false, t0 + 2'000'000);
  EXPECT_TRUE(edges.empty());  // nothing is delivered outside the io_context
  io.run_for(50ms);
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_TRUE(edges[0].active);
  EXPECT_FALSE(edges[1].active);
  EXPECT_EQ(edges[1].when - edges[0].when, 2ms);
  EXPECT_EQ(edges[0].when.time_since_epoch(), std::chrono::nanoseconds{t0});
  EXPECT_EQ((*reader)->events(), 2u);
}

TEST(GpioEdgeReaderTest, ManyEdgesInOneBurstAreAllDelivered) {
  boost::asio::io_context io;
  Pipe pipe;
  int count = 0;
  auto reader = GpioEdgeReader::create(io, pipe.read_end(), "burst", [&](bool, Clock::SteadyTime) { ++count; });
  ASSERT_TRUE(reader);
  const auto t0 = now_ns(CLOCK_MONOTONIC);
  for (int i = 0; i < 200; ++i) pipe.send(i % 2 == 0, t0 + i * 10'000'000LL);  // more than one read's batch
  io.run_for(100ms);
  EXPECT_EQ(count, 200);
  EXPECT_FALSE((*reader)->failed());
}

TEST(GpioEdgeReaderTest, DestroyedReaderDeliversNothing) {
  boost::asio::io_context io;
  Pipe pipe;
  int count = 0;
  auto reader = GpioEdgeReader::create(io, pipe.read_end(), "gone", [&](bool, Clock::SteadyTime) { ++count; });
  ASSERT_TRUE(reader);
  pipe.send(true, now_ns(CLOCK_MONOTONIC));
  reader->reset();
  io.run_for(20ms);
  EXPECT_EQ(count, 0);
}

TEST(GpioEdgeReaderTest, ClosedFdStopsWithoutSpinning) {
  boost::asio::io_context io;
  Pipe pipe;
  auto reader = GpioEdgeReader::create(io, pipe.read_end(), "closed", [](bool, Clock::SteadyTime) {});
  ASSERT_TRUE(reader);
  pipe.close_write();
  io.run_for(20ms);
  EXPECT_TRUE((*reader)->failed());
  EXPECT_NE((*reader)->dump().find("failed=1"), std::string::npos);
}

TEST(GpioEdgeReaderTest, BadFdIsAnError) {
  boost::asio::io_context io;
  auto reader = GpioEdgeReader::create(io, -1, "bad", [](bool, Clock::SteadyTime) {});
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().what().find("bad"), std::string::npos);
}

TEST(GpioEdgeReaderTest, KernelTimestampsMapOntoTheMonotonicClock) {
  const std::int64_t mono = 5'000'000'000'000;           // 5000 s since boot
  const std::int64_t real = 1'800'000'000'000'000'000;   // 2027
  // Monotonic stamps (Linux >= 5.7) are taken as they are.
  EXPECT_EQ(kernel_event_time(mono - 3'000'000, mono, real).time_since_epoch(), std::chrono::nanoseconds{mono - 3'000'000});
  // Realtime stamps (older kernels) are shifted by the same age.
  EXPECT_EQ(kernel_event_time(real - 3'000'000, mono, real).time_since_epoch(), std::chrono::nanoseconds{mono - 3'000'000});
}

}  // namespace
}  // namespace portier::device::gpio
