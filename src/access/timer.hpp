#pragma once
// Port: a one-shot timer. The app implements it on its io_context (device/asio_timer_factory.hpp); tests use
// FakeTimers (timer_fake.hpp), driven by a FakeClock, so timing logic is tested without sleeping.
#include <chrono>
#include <functional>

namespace portier::access {

class Timer {
 public:
  using Callback = std::function<void()>;
  // Destroying a timer cancels it: its callback never runs afterwards.
  virtual ~Timer() = default;
  // Arms the timer; re-arming an armed timer replaces the previous deadline and callback.
  virtual void start(std::chrono::milliseconds delay, Callback callback) = 0;
  // Disarms; the callback of a cancelled timer never runs, even if its deadline already passed.
  virtual void cancel() = 0;
  virtual bool pending() const = 0;
};

}  // namespace portier::access
