#pragma once
// Time comes from an injectable Clock so that expiry, throttles and timers are tested without sleeping.
#include <chrono>
#include <cstdint>
#include <string>

namespace portier {

class Clock {
 public:
  using SystemTime = std::chrono::system_clock::time_point;
  using SteadyTime = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual SystemTime now() const = 0;          // wall-clock time, for timestamps people read
  virtual SteadyTime steady_now() const = 0;   // monotonic time, for durations and expiry
};

class SystemClock final : public Clock {
 public:
  SystemTime now() const override { return std::chrono::system_clock::now(); }
  SteadyTime steady_now() const override { return std::chrono::steady_clock::now(); }
};

// A clock that only moves when told to; for tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(SystemTime start = SystemTime{std::chrono::seconds{1'800'000'000}}) : wall_(start) {}
  SystemTime now() const override { return wall_; }
  SteadyTime steady_now() const override { return steady_; }
  void advance(std::chrono::nanoseconds d) {
    wall_ += std::chrono::duration_cast<SystemTime::duration>(d);
    steady_ += std::chrono::duration_cast<SteadyTime::duration>(d);
  }

 private:
  SystemTime wall_;
  SteadyTime steady_{};
};

// ISO 8601 UTC with milliseconds: "2026-11-28T05:41:36.123Z".
std::string format_iso8601(Clock::SystemTime t);
// Milliseconds since the Unix epoch.
std::int64_t to_unix_ms(Clock::SystemTime t);
Clock::SystemTime from_unix_ms(std::int64_t ms);

}  // namespace portier
