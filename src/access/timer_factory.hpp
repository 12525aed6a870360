#pragma once
// Port: creates Timers that all run on the one io thread (or on a FakeClock in tests).
#include <memory>

#include "access/timer.hpp"

namespace portier::access {

class TimerFactory {
 public:
  virtual ~TimerFactory() = default;
  virtual std::unique_ptr<Timer> create_timer() = 0;
};

}  // namespace portier::access
