#include "access/line_debouncer.hpp"

#include <sstream>

namespace portier::access {

LineDebouncer::LineDebouncer(InputLine& line, TimerFactory& timers, std::chrono::milliseconds settle,
                             Listener& listener)
    : line_(line), timer_(timers.create_timer()), settle_(settle), listener_(listener) {}

LineDebouncer::~LineDebouncer() { line_.set_listener(nullptr); }

Status LineDebouncer::start() {
  auto level = line_.read();
  if (!level) return level.error();
  stable_ = raw_ = *level;
  line_.set_listener(this);
  return {};
}

void LineDebouncer::on_line_edge(InputLine&, const LineEdge& edge) {
  ++edges_;
  raw_ = edge.active;
  if (settle_.count() <= 0) {
    settle();
    return;
  }
  timer_->start(settle_, [this] { settle(); });  // restarting: the line must be quiet for a whole period
}

void LineDebouncer::settle() {
  // Trust the line over the last edge we saw: an adapter may drop edges under load.
  if (auto level = line_.read()) raw_ = *level;
  if (raw_ == stable_) return;
  stable_ = raw_;
  ++changes_;
  listener_.on_line_debouncer_changed(*this, stable_);
}

std::string LineDebouncer::dump() const {
  std::ostringstream os;
  os << "LineDebouncer{line=" << line_.name() << " active=" << stable_ << " edges=" << edges_
     << " changes=" << changes_ << " settle_ms=" << settle_.count() << "}";
  return os.str();
}

}  // namespace portier::access
