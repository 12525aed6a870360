#pragma once
// A requested libgpiod output line (relay). Requested inactive; driven inactive again and released on destruction,
// so a stopped server leaves its doors locked. Must be destroyed before its GpioChip.
#include <string>

#include "access/line_output.hpp"
#include "device/gpio/gpio_line_config.hpp"

struct gpiod_line;

namespace portier::device::gpio {

class GpioOutputLine final : public access::OutputLine {
 public:
  // Takes a line already requested as output.
  GpioOutputLine(::gpiod_line* line, GpioLineConfig config);
  ~GpioOutputLine() override;
  GpioOutputLine(const GpioOutputLine&) = delete;
  GpioOutputLine& operator=(const GpioOutputLine&) = delete;

  Status set_active(bool active) override;
  bool active() const override { return active_; }
  const std::string& name() const override { return name_; }
  std::string dump() const;

 private:
  ::gpiod_line* line_;
  GpioLineConfig config_;
  std::string name_;
  bool active_ = false;
};

}  // namespace portier::device::gpio
