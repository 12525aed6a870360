#include "device/gpio/gpio_line_config.hpp"

#include <gpiod.h>

#include "base/error.hpp"

namespace portier::device::gpio {

std::string_view to_string(Bias bias) {
  switch (bias) {
    case Bias::as_is: return "as-is";
    case Bias::disabled: return "disabled";
    case Bias::pull_up: return "pull-up";
    case Bias::pull_down: return "pull-down";
  }
  return "as-is";
}

Result<Bias> parse_bias(std::string_view text) {
  std::string t(text);
  for (auto& c : t) {
    if (c == '_') c = '-';
  }
  if (t == "as-is" || t.empty()) return Bias::as_is;
  if (t == "disabled" || t == "disable") return Bias::disabled;
  if (t == "pull-up") return Bias::pull_up;
  if (t == "pull-down") return Bias::pull_down;
  return Error(errc::invalid_argument, "unknown bias '" + std::string(text) + "' (as-is, disabled, pull-up, pull-down)");
}

int request_flags(const GpioLineConfig& config) {
  int flags = 0;
  if (config.active_low) flags |= GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW;
  switch (config.bias) {
    case Bias::as_is: break;
    case Bias::disabled: flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE; break;
    case Bias::pull_up: flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP; break;
    case Bias::pull_down: flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN; break;
  }
  return flags;
}

std::string describe(const GpioLineConfig& config) {
  std::string out = "gpio chip '" + config.chip + "' line " + std::to_string(config.offset);
  if (!config.label.empty()) out += " ('" + config.label + "')";
  return out;
}

}  // namespace portier::device::gpio
