#include "device/sim/sim_input_line.hpp"

#include <sstream>

namespace portier::device::sim {

Result<bool> SimInputLine::read() const {
  if (fault_) return *fault_;
  return level_;
}

void SimInputLine::drive(bool active) {
  if (active == level_) return;
  level_ = active;
  ++changes_;
  if (listener_) listener_->on_line_edge(*this, access::LineEdge{active, clock_.steady_now()});
}

std::string SimInputLine::dump() const {
  std::ostringstream os;
  os << "SimInputLine{name=" << name_ << " level=" << level_ << " changes=" << changes_
     << " listening=" << (listener_ != nullptr) << "}";
  return os.str();
}

}  // namespace portier::device::sim
