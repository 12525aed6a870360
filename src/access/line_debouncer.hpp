#pragma once
// Turns a bouncing input (door contact) into clean level changes: after each edge the line must stay quiet for
// `settle` before its level is trusted, and then the level is re-read from the line, so a lost edge cannot leave the
// domain with a stale state. Call buttons use a different, zero-latency rule (call_button.hpp).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "access/line_input.hpp"
#include "access/timer_factory.hpp"
#include "base/result.hpp"

namespace portier::access {

class LineDebouncer final : public InputLine::Listener {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_line_debouncer_changed(LineDebouncer& debouncer, bool active) = 0;
  };

  // `line` and `listener` must outlive this object.
  LineDebouncer(InputLine& line, TimerFactory& timers, std::chrono::milliseconds settle, Listener& listener);
  ~LineDebouncer() override;
  LineDebouncer(const LineDebouncer&) = delete;
  LineDebouncer& operator=(const LineDebouncer&) = delete;

  // Reads the current level as the stable one (no change is reported for it) and starts listening.
  Status start();
  bool active() const { return stable_; }
  const InputLine& line() const { return line_; }
  std::uint64_t edges() const { return edges_; }
  std::uint64_t changes() const { return changes_; }
  std::string dump() const;

 private:
  void on_line_edge(InputLine& line, const LineEdge& edge) override;
  void settle();

  InputLine& line_;
  std::unique_ptr<Timer> timer_;
  std::chrono::milliseconds settle_;
  Listener& listener_;
  bool stable_ = false;
  bool raw_ = false;
  std::uint64_t edges_ = 0;
  std::uint64_t changes_ = 0;
};

}  // namespace portier::access
