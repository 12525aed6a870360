#include "device/sim/sim_output_line.hpp"

#include <sstream>

namespace portier::device::sim {

Status SimOutputLine::set_active(bool active) {
  if (fault_) return *fault_;
  if (active != active_) ++changes_;
  active_ = active;
  return {};
}

std::string SimOutputLine::dump() const {
  std::ostringstream os;
  os << "SimOutputLine{name=" << name_ << " active=" << active_ << " changes=" << changes_
     << " fault=" << fault_.has_value() << "}";
  return os.str();
}

}  // namespace portier::device::sim
