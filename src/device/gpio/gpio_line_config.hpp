#pragma once
// How one libgpiod line is addressed and requested: chip (name, path, label or number, as gpiod_chip_open_lookup
// takes it), offset, active-low and bias. With active_low the kernel inverts values and edges, so the domain always
// sees logical levels.
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace portier::device::gpio {

enum class Bias { as_is, disabled, pull_up, pull_down };

std::string_view to_string(Bias bias);
// "as-is", "disabled", "pull-up", "pull-down" ('_' for '-' accepted; "disable" too).
Result<Bias> parse_bias(std::string_view text);

struct GpioLineConfig {
  std::string chip;      // "gpiochip0", "/dev/gpiochip0", "pinctrl-bcm2711" or "0"
  unsigned offset = 0;
  bool active_low = false;
  Bias bias = Bias::as_is;
  std::string label;     // our name for the line ("front.relay"); used in messages, may be empty
};

// GPIOD_LINE_REQUEST_FLAG_* bits for the config.
int request_flags(const GpioLineConfig& config);
// "gpio chip 'gpiochip0' line 17" (plus " ('front.relay')" when labelled): how errors name a line.
std::string describe(const GpioLineConfig& config);

}  // namespace portier::device::gpio
