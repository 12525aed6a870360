#include "access/call_button.hpp"

#include <sstream>

namespace portier::access {

CallButton::CallButton(CallButtonConfig config, InputLine* line, Listener& listener)
    : config_(std::move(config)), line_(line), listener_(listener) {}

CallButton::~CallButton() {
  if (line_) line_->set_listener(nullptr);
}

void CallButton::start() {
  if (line_) line_->set_listener(this);
}

void CallButton::on_line_edge(InputLine&, const LineEdge& edge) {
  ++stats_.edges;
  const bool quiet = !last_edge_ || edge.when - *last_edge_ >= config_.bouncetime;
  last_edge_ = edge.when;
  if (!edge.active) return;
  if (!quiet) {
    ++stats_.bounces;
    return;
  }
  (void)press(edge.when);
}

bool CallButton::press(Clock::SteadyTime when) {
  ++stats_.presses;
  if (last_ring_ && when - *last_ring_ < config_.throttle) {
    ++stats_.throttled;
    listener_.on_call_button_throttled(*this);
    return false;
  }
  last_ring_ = when;
  ++stats_.rings;
  listener_.on_call_button_ring(*this);
  return true;
}

std::string CallButton::dump() const {
  std::ostringstream os;
  os << "CallButton{id=" << config_.id << " door=" << config_.door << " line=" << (line_ ? line_->name() : "-")
     << " edges=" << stats_.edges << " bounces=" << stats_.bounces << " presses=" << stats_.presses
     << " rings=" << stats_.rings << " throttled=" << stats_.throttled << "}";
  return os.str();
}

}  // namespace portier::access
