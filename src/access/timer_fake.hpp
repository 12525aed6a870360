#pragma once
// Manual timers for tests: nothing fires until advance() moves the FakeClock past a deadline. Timers fire in deadline
// order (ties in arming order) with the clock set to their deadline, so callbacks that read the clock or re-arm see
// the same time a real loop would.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "access/timer_factory.hpp"
#include "base/clock.hpp"

namespace portier::access {

class FakeTimers final : public TimerFactory {
 public:
  explicit FakeTimers(FakeClock& clock) : clock_(clock) {}
  FakeTimers(const FakeTimers&) = delete;
  FakeTimers& operator=(const FakeTimers&) = delete;
  // Timers created here must be destroyed before this object.
  ~FakeTimers() override = default;

  std::unique_ptr<Timer> create_timer() override;

  // Moves the clock forward by `d`, firing every timer whose deadline falls within, in order.
  void advance(std::chrono::nanoseconds d);
  // Fires timers already due (deadline <= now), e.g. zero-delay ones.
  void run_due() { advance(std::chrono::nanoseconds{0}); }
  std::size_t pending_count() const;
  std::uint64_t fired_count() const { return fired_; }
  std::string dump() const;

  // Used by the timers themselves.
  struct Slot {
    bool armed = false;
    Clock::SteadyTime deadline{};
    std::uint64_t order = 0;
    Timer::Callback callback;
  };
  Slot& slot(std::uint64_t id) { return slots_.at(id); }
  std::uint64_t next_order() { return ++order_; }
  void remove(std::uint64_t id) { slots_.erase(id); }
  FakeClock& clock() { return clock_; }

 private:
  std::optional<std::uint64_t> next_due(Clock::SteadyTime limit) const;

  FakeClock& clock_;
  std::map<std::uint64_t, Slot> slots_;
  std::uint64_t next_id_ = 0;
  std::uint64_t order_ = 0;
  std::uint64_t fired_ = 0;
};

}  // namespace portier::access
