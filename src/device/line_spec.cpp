#include "device/line_spec.hpp"

#include <charconv>

#include "base/error.hpp"
#include "base/strings.hpp"
#include "device/mqtt/command_codec.hpp"
#include "device/sim/sim_chip.hpp"

namespace portier::device {

std::string LineSpec::key() const {
  if (driver == Driver::sim) return "sim:" + name;
  if (driver == Driver::mqtt) return "mqtt:" + device + ":" + std::to_string(offset);
  return "gpio:" + chip + ":" + std::to_string(offset);
}

gpio::GpioLineConfig LineSpec::gpio_config() const { return {chip, offset, active_low, bias, name}; }

namespace {

Error bad(std::string_view text, const std::string& why) {
  return Error(errc::invalid_argument, "line '" + std::string(text) + "': " + why);
}

Status apply_option(LineSpec& spec, std::string_view option, std::string_view text) {
  const auto o = trim(option);
  if (o.empty()) return {};
  if (o == "active-low" || o == "active_low") {
    spec.active_low = true;
  } else if (o == "active-high" || o == "active_high") {
    spec.active_low = false;
  } else if (o == "bias-disabled" || o == "bias_disabled" || o == "no-pull") {
    spec.bias = gpio::Bias::disabled;
  } else if (auto bias = gpio::parse_bias(o)) {
    spec.bias = *bias;
  } else {
    return bad(text, "unknown option '" + std::string(o) + "'");
  }
  return {};
}

Result<LineSpec> parse_gpio(std::string_view text, std::string_view rest) {
  // rest = CHIP:OFFSET[:OPTIONS]
  const auto parts = split(rest, ':');
  if (parts.size() < 2 || parts.size() > 3) return bad(text, "expected gpio:CHIP:OFFSET[:OPTIONS]");
  LineSpec spec;
  spec.driver = LineSpec::Driver::gpio;
  spec.chip = std::string(trim(parts[0]));
  if (spec.chip.empty()) return bad(text, "chip is empty");
  const auto off = trim(parts[1]);
  const auto* end = off.data() + off.size();
  auto [ptr, ec] = std::from_chars(off.data(), end, spec.offset);
  if (off.empty() || ec != std::errc{} || ptr != end || spec.offset > 4095) {
    return bad(text, "offset must be a number 0-4095");
  }
  if (parts.size() == 3) {
    for (auto option : split(parts[2], ',')) {
      if (auto st = apply_option(spec, option, text); !st) return st.error();
    }
  }
  return spec;
}

Result<LineSpec> parse_mqtt(std::string_view text, std::string_view rest) {
  // rest = DEVICE:OUTPUT
  const auto parts = split(rest, ':');
  if (parts.size() != 2) return bad(text, "expected mqtt:DEVICE:OUTPUT");
  LineSpec spec;
  spec.driver = LineSpec::Driver::mqtt;
  spec.device = std::string(trim(parts[0]));
  if (!mqtt::valid_device_name(spec.device)) return bad(text, "device names are 1-32 of a-z 0-9 _ -");
  const auto out = trim(parts[1]);
  const auto* end = out.data() + out.size();
  auto [ptr, ec] = std::from_chars(out.data(), end, spec.offset);
  if (out.empty() || ec != std::errc{} || ptr != end || spec.offset < 1 || spec.offset > 64)
    return bad(text, "output must be a number 1-64");
  spec.name = spec.key();
  return spec;
}

}  // namespace

Result<LineSpec> parse_line_spec(std::string_view text) {
  const auto t = trim(text);
  if (t.rfind("gpio:", 0) == 0) return parse_gpio(text, t.substr(5));
  if (t.rfind("mqtt:", 0) == 0) return parse_mqtt(text, t.substr(5));
  LineSpec spec;
  spec.name = std::string(t.rfind("sim:", 0) == 0 ? t.substr(4) : t);
  if (!sim::valid_sim_line_name(spec.name)) return bad(text, "not a valid simulated line name");
  return spec;
}

}  // namespace portier::device
