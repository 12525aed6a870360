#pragma once
// A simulated input (button, contact): drive() sets its level and reports the edge, stamped with the clock, to the
// listener right away, on the caller's thread (the io thread in the app).
#include <cstdint>
#include <optional>
#include <string>

#include "access/line_input.hpp"
#include "base/clock.hpp"

namespace portier::device::sim {

class SimInputLine final : public access::InputLine {
 public:
  SimInputLine(std::string name, const Clock& clock, bool initial = false)
      : name_(std::move(name)), clock_(clock), level_(initial) {}

  void set_listener(Listener* listener) override { listener_ = listener; }
  Result<bool> read() const override;
  const std::string& name() const override { return name_; }

  // Sets the level; an edge is reported only when it changes, as on real hardware.
  void drive(bool active);
  // While set, read() fails with this error.
  void set_fault(std::optional<Error> fault) { fault_ = std::move(fault); }
  bool level() const { return level_; }
  std::uint64_t changes() const { return changes_; }
  std::string dump() const;

 private:
  std::string name_;
  const Clock& clock_;
  bool level_;
  std::uint64_t changes_ = 0;
  Listener* listener_ = nullptr;
  std::optional<Error> fault_;
};

}  // namespace portier::device::sim
