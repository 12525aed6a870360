#pragma once
// A simulated output (relay): remembers what the domain drove and can be told to fail like a dead driver.
#include <cstdint>
#include <optional>
#include <string>

#include "access/line_output.hpp"

namespace portier::device::sim {

class SimOutputLine final : public access::OutputLine {
 public:
  explicit SimOutputLine(std::string name) : name_(std::move(name)) {}

  Status set_active(bool active) override;
  bool active() const override { return active_; }
  const std::string& name() const override { return name_; }

  // While set, set_active fails with this error (a driver that is gone).
  void set_fault(std::optional<Error> fault) { fault_ = std::move(fault); }
  const std::optional<Error>& fault() const { return fault_; }
  std::uint64_t changes() const { return changes_; }
  std::string dump() const;

 private:
  std::string name_;
  bool active_ = false;
  std::uint64_t changes_ = 0;
  std::optional<Error> fault_;
};

}  // namespace portier::device::sim
