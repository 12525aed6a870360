#pragma once
// Which driver and which line a config value means. Text forms (the `relay:`, `button:`, `contact:` values):
//   "front.relay" or "sim:front.relay"            a line of the simulated chip
//   "gpio:gpiochip0:17"                           libgpiod chip (name, path, label or number) and offset
//   "gpio:gpiochip0:17:active-low,pull-up"        options: active-low, active-high, pull-up, pull-down,
//                                                 bias-disabled, as-is
//   "mqtt:DEVICE:OUTPUT"                          relay OUTPUT (1-based) of an MQTT device (outputs only); the
//                                                 config's `relay: {driver: mqtt, device: NAME, output: N}`
// The app may also fill a LineSpec from a YAML map; parse_line_spec is for the one-string form.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "device/gpio/gpio_line_config.hpp"

namespace portier::device {

struct LineSpec {
  enum class Driver { sim, gpio, mqtt };
  Driver driver = Driver::sim;
  std::string name;  // sim: the line's name; gpio: optional label for messages (and the sim name on fallback)
  std::string chip;  // gpio
  std::string device;  // mqtt: the device name
  std::uint32_t pulse_ms = 0;  // mqtt: the door's pulse length, sent with each unlock (0: hold until locked)
  unsigned offset = 0;
  bool active_low = false;
  gpio::Bias bias = gpio::Bias::as_is;

  // "sim:front.relay" / "gpio:gpiochip0:17": one key per physical line, to spot a line used twice.
  std::string key() const;
  gpio::GpioLineConfig gpio_config() const;
};

Result<LineSpec> parse_line_spec(std::string_view text);

}  // namespace portier::device
