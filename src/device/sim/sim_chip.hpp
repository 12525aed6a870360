#pragma once
// The simulated chip: a set of named lines ("front.relay", "front.button", "front.contact", ...) used by the demo and
// by tests. The HTTP layer exposes it as GET /api/sim/lines (lines()) and POST /api/sim/lines/{name} (drive()).
// Owned by the app; lines live as long as the chip.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "device/sim/sim_input_line.hpp"
#include "device/sim/sim_output_line.hpp"

namespace portier::device::sim {

enum class Direction { input, output };
std::string_view to_string(Direction direction);

struct SimLineInfo {
  std::string name;
  Direction direction = Direction::input;
  bool value = false;  // logical level: 1 = active (relay energised, button pressed, door open)
  std::uint64_t changes = 0;
  bool faulty = false;
};

class SimChip {
 public:
  explicit SimChip(const Clock& clock) : clock_(clock) {}
  SimChip(const SimChip&) = delete;
  SimChip& operator=(const SimChip&) = delete;

  // Names are 1-128 of A-Z a-z 0-9 . _ - :  and unique on the chip (errc::already_exists).
  Result<SimOutputLine*> add_output(const std::string& name);
  Result<SimInputLine*> add_input(const std::string& name, bool initial = false);

  std::vector<SimLineInfo> lines() const;  // sorted by name
  Result<SimLineInfo> line(std::string_view name) const;
  Result<bool> read(std::string_view name) const;
  // Drives an input (errc::not_found for unknown lines, errc::invalid_argument for outputs).
  Status drive(std::string_view name, bool value);
  // Makes a line fail (outputs: set_active; inputs: read) until cleared with nullopt.
  Status set_fault(std::string_view name, std::optional<Error> fault);
  std::string dump() const;

 private:
  Status check_new(const std::string& name) const;

  const Clock& clock_;
  std::map<std::string, std::unique_ptr<SimOutputLine>, std::less<>> outputs_;
  std::map<std::string, std::unique_ptr<SimInputLine>, std::less<>> inputs_;
};

bool valid_sim_line_name(std::string_view name);

}  // namespace portier::device::sim
