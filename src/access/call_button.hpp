#pragma once
// A call button (or a station that reports presses over the network) for one door. Every press that reaches the
// line is counted; a press rings unless another ring happened within the throttle window.
//
// Debounce without latency: an active edge is a press when the line was quiet (no edge of either kind) for at least
// `bouncetime` before it. The first edge of a press rings at once; its own bounces and the bounces of the release
// follow other edges closely and are ignored. A human cannot press again within 2 ms of letting go, so no real press
// is lost, and nothing depends on edges being paired (an adapter that drops the release edge still counts the next
// press).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "access/line_input.hpp"
#include "base/clock.hpp"

namespace portier::access {

struct CallButtonConfig {
  std::string id;    // unique among buttons, e.g. the line name or a station name
  std::string door;  // the door it rings
  std::chrono::milliseconds bouncetime{2};
  std::chrono::milliseconds throttle{15000};  // page_throttle_duration
};

struct CallButtonStats {
  std::uint64_t edges = 0;      // every edge the line reported
  std::uint64_t bounces = 0;    // active edges ignored as bounce
  std::uint64_t presses = 0;    // presses seen (line presses after debounce, plus network presses)
  std::uint64_t rings = 0;      // presses that rang
  std::uint64_t throttled = 0;  // presses seen that did not ring (presses == rings + throttled)
};

class CallButton final : public InputLine::Listener {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_call_button_ring(CallButton& button) = 0;
    // A press that was counted but did not ring; for live counters, not for paging.
    virtual void on_call_button_throttled(CallButton& button) {}
  };

  // `line` may be null for a network-only station; when given it must outlive this object.
  CallButton(CallButtonConfig config, InputLine* line, Listener& listener);
  ~CallButton() override;
  CallButton(const CallButton&) = delete;
  CallButton& operator=(const CallButton&) = delete;

  // Starts listening to the line.
  void start();
  // A press reported without an edge (POST /api/doors/{id}/ring). Returns true when it rang.
  bool press(Clock::SteadyTime when);

  const CallButtonConfig& config() const { return config_; }
  const CallButtonStats& stats() const { return stats_; }
  bool has_line() const { return line_ != nullptr; }
  std::string dump() const;

 private:
  void on_line_edge(InputLine& line, const LineEdge& edge) override;

  CallButtonConfig config_;
  InputLine* line_;
  Listener& listener_;
  CallButtonStats stats_;
  std::optional<Clock::SteadyTime> last_edge_;
  std::optional<Clock::SteadyTime> last_ring_;
};

}  // namespace portier::access
