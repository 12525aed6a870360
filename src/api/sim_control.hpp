#pragma once
// What the API needs of the simulated door hardware (GET/POST /api/sim/lines). Implemented by the app on top of
// device::sim::SimChip, so api does not depend on device.
#include <string>
#include <vector>

#include "base/result.hpp"

namespace portier::api {

struct SimLine {
  std::string name;
  std::string direction;  // "input" | "output"
  bool value = false;
  std::uint64_t changes = 0;
};

class SimControl {
 public:
  virtual ~SimControl() = default;
  virtual std::vector<SimLine> lines() const = 0;
  // Drives an input; errc::not_found / errc::invalid_argument (an output) otherwise.
  virtual Status drive(const std::string& name, bool value) = 0;
};

}  // namespace portier::api
