#pragma once
// Port: a digital output that a door drives (relay coil, strike, lock motor). "Active" is the logical state, i.e.
// "unlocked"; active-low wiring is the adapter's business. Implemented by device/sim and device/gpio, which own the
// lines; the domain only holds references.
#include <functional>
#include <string>

#include "base/result.hpp"

namespace portier::access {

class OutputLine {
 public:
  virtual ~OutputLine() = default;
  // Drives the line. Fails (errc::unavailable, errc::io_error) when the driver cannot; the message names the line.
  virtual Status set_active(bool active) = 0;
  // Drives the line and reports when the driver confirms it. Lines on a network device (device/mqtt) answer later,
  // when the device acknowledges or the command times out; `done` always runs exactly once, possibly before this
  // returns, always on the io thread. The default is the synchronous set_active().
  virtual void set_active_async(bool active, std::function<void(Status)> done) { done(set_active(active)); }
  // The last value successfully driven.
  virtual bool active() const = 0;
  virtual const std::string& name() const = 0;
};

}  // namespace portier::access
