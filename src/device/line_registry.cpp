#include "device/line_registry.hpp"

#include <sstream>

#include "base/error.hpp"
#include "base/log.hpp"

namespace portier::device {

LineRegistry::LineRegistry(boost::asio::io_context& io, sim::SimChip& sim, Options options)
    : io_(io), sim_(sim), options_(std::move(options)) {}

LineRegistry::~LineRegistry() {
  inputs_.clear();
  outputs_.clear();
  mqtt_outputs_.clear();
  chips_.clear();
}

Status LineRegistry::claim(const LineSpec& spec, const std::string& user) {
  auto [it, fresh] = claims_.emplace(spec.key(), user);
  if (!fresh) return Error(errc::conflict, user + ": line '" + spec.key() + "' is already used by " + it->second);
  return {};
}

std::string LineRegistry::sim_name(const LineSpec& spec) const {
  if (spec.driver == LineSpec::Driver::sim) return spec.name;
  return spec.name.empty() ? spec.chip + ":" + std::to_string(spec.offset) : spec.name;
}

Result<gpio::GpioChip*> LineRegistry::chip(const LineSpec& spec, const std::string& user) {
  if (auto it = chips_.find(spec.chip); it != chips_.end()) return it->second.get();
  auto opened = gpio::GpioChip::open(spec.chip);
  if (!opened) {
    return Error(opened.error().code, user + ": " + opened.error().what() + " (needed for line " +
                                          std::to_string(spec.offset) + ")");
  }
  auto* raw = opened->get();
  chips_.emplace(spec.chip, std::move(*opened));
  return raw;
}

Result<gpio::GpioChip*> LineRegistry::chip_or_fallback(const LineSpec& spec, const std::string& user) {
  auto c = chip(spec, user);
  if (c || !options_.fallback_to_sim) return c;
  log::get("gpio")->warn("{}; using simulated line '{}' instead", c.error().what(), sim_name(spec));
  fallbacks_.push_back(spec.key());
  return static_cast<gpio::GpioChip*>(nullptr);
}

Result<access::OutputLine*> LineRegistry::output(const LineSpec& spec, const std::string& user) {
  if (auto st = claim(spec, user); !st) return st.error();
  if (spec.driver == LineSpec::Driver::mqtt) {
    if (!mqtt_hub_) return Error(errc::invalid_argument, user + ": an mqtt relay needs the `mqtt:` config section");
    mqtt_outputs_.push_back(
        std::make_unique<mqtt::MqttOutputLine>(*mqtt_hub_, spec.device, static_cast<int>(spec.offset), spec.pulse_ms));
    return static_cast<access::OutputLine*>(mqtt_outputs_.back().get());
  }
  if (spec.driver == LineSpec::Driver::gpio) {
    auto c = chip_or_fallback(spec, user);
    if (!c) return c.error();
    if (*c) {
      auto line = (*c)->request_output(spec.gpio_config(), options_.consumer);
      if (!line) return Error(line.error().code, user + ": " + line.error().what());
      outputs_.push_back(std::move(*line));
      return static_cast<access::OutputLine*>(outputs_.back().get());
    }
  }
  auto line = sim_.add_output(sim_name(spec));
  if (!line) return Error(line.error().code, user + ": " + line.error().what());
  return static_cast<access::OutputLine*>(*line);
}

Result<access::InputLine*> LineRegistry::input(const LineSpec& spec, const std::string& user) {
  if (spec.driver == LineSpec::Driver::mqtt)
    return Error(errc::invalid_argument, user + ": mqtt lines are relays only (outputs)");
  if (auto st = claim(spec, user); !st) return st.error();
  if (spec.driver == LineSpec::Driver::gpio) {
    auto c = chip_or_fallback(spec, user);
    if (!c) return c.error();
    if (*c) {
      auto line = (*c)->request_input(spec.gpio_config(), options_.consumer, io_);
      if (!line) return Error(line.error().code, user + ": " + line.error().what());
      inputs_.push_back(std::move(*line));
      return static_cast<access::InputLine*>(inputs_.back().get());
    }
  }
  auto line = sim_.add_input(sim_name(spec));
  if (!line) return Error(line.error().code, user + ": " + line.error().what());
  return static_cast<access::InputLine*>(*line);
}

std::string LineRegistry::dump() const {
  std::ostringstream os;
  os << "LineRegistry{chips=" << chips_.size() << " gpio_outputs=" << outputs_.size()
     << " gpio_inputs=" << inputs_.size() << " mqtt_outputs=" << mqtt_outputs_.size() << " claims=" << claims_.size() << " fallbacks=" << fallbacks_.size();
  for (const auto& [name, c] : chips_) os << " " << c->dump();
  os << "}";
  return os.str();
}

}  // namespace portier::device
