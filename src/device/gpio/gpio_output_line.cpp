#include "device/gpio/gpio_output_line.hpp"

#include <gpiod.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/error.hpp"

namespace portier::device::gpio {

GpioOutputLine::GpioOutputLine(::gpiod_line* line, GpioLineConfig config)
    : line_(line), config_(std::move(config)) {
  name_ = config_.label.empty() ? config_.chip + ":" + std::to_string(config_.offset) : config_.label;
}

GpioOutputLine::~GpioOutputLine() {
  (void)::gpiod_line_set_value(line_, 0);
  ::gpiod_line_release(line_);
}

Status GpioOutputLine::set_active(bool active) {
  if (::gpiod_line_set_value(line_, active ? 1 : 0) < 0) {
    return Error(errc::io_error, describe(config_) + ": cannot set value: " + std::strerror(errno));
  }
  active_ = active;
  return {};
}

std::string GpioOutputLine::dump() const {
  std::ostringstream os;
  os << "GpioOutputLine{" << describe(config_) << " active_low=" << config_.active_low << " active=" << active_
     << "}";
  return os.str();
}

}  // namespace portier::device::gpio
