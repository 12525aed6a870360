#pragma once
// Test doubles for the line ports: an output that records every drive and can be told to fail, and an input whose
// edges the test injects with explicit times.
#include <string>
#include <vector>

#include "access/line_input.hpp"
#include "access/line_output.hpp"
#include "base/error.hpp"

namespace portier::access::test {

class FakeOutputLine final : public OutputLine {
 public:
  explicit FakeOutputLine(std::string name) : name_(std::move(name)) {}
  Status set_active(bool active) override {
    ++attempts;
    if (fail) return Error(errc::io_error, "injected failure");
    active_ = active;
    history.push_back(active);
    return {};
  }
  bool active() const override { return active_; }
  const std::string& name() const override { return name_; }

  bool fail = false;
  int attempts = 0;
  std::vector<bool> history;  // every successful drive

 private:
  std::string name_;
  bool active_ = true;  // unknown at power-up: start "active" so tests see start() drive it
};

class FakeInputLine final : public InputLine {
 public:
  explicit FakeInputLine(std::string name) : name_(std::move(name)) {}
  void set_listener(Listener* listener) override { listener_ = listener; }
  Result<bool> read() const override {
    if (fail_read) return Error(errc::unavailable, "injected read failure");
    return level;
  }
  const std::string& name() const override { return name_; }

  // Sets the level and reports the edge (even if the level did not change: bounces can look like that).
  void edge(bool active, Clock::SteadyTime when) {
    level = active;
    if (listener_) listener_->on_line_edge(*this, LineEdge{active, when});
  }
  bool attached() const { return listener_ != nullptr; }

  bool level = false;
  bool fail_read = false;

 private:
  std::string name_;
  Listener* listener_ = nullptr;
};

}  // namespace portier::access::test
