#pragma once
// Port: a digital input (call button, door contact, PIR). Adapters report every edge they see, stamped with the time
// the edge happened (kernel timestamp where there is one), on the single io thread. Debouncing is domain logic
// (call_button.hpp, line_debouncer.hpp), not the adapter's.
#include <string>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace portier::access {

struct LineEdge {
  bool active = false;       // the logical level after the edge
  Clock::SteadyTime when{};  // when the edge happened
};

class InputLine {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_line_edge(InputLine& line, const LineEdge& edge) = 0;
  };

  virtual ~InputLine() = default;
  // One listener per line; nullptr detaches. The listener must outlive its registration.
  virtual void set_listener(Listener* listener) = 0;
  // The current logical level.
  virtual Result<bool> read() const = 0;
  virtual const std::string& name() const = 0;
};

}  // namespace portier::access
