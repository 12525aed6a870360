#pragma once
// Turns line specs from config into lines the domain can use, and owns the gpio ones (the sim chip owns its own).
// Each physical line may be claimed once; errors name who wanted the line, the chip and the offset. With
// fallback_to_sim (the app's --no-hardware, only when configured so) a gpio line whose chip is missing becomes a
// simulated line instead. Owned by the app; must outlive the DoorService that uses its lines.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "access/line_input.hpp"
#include "access/line_output.hpp"
#include "device/gpio/gpio_chip.hpp"
#include "device/line_spec.hpp"
#include "device/mqtt/mqtt_output_line.hpp"
#include "device/sim/sim_chip.hpp"

namespace portier::device {

class LineRegistry {
 public:
  struct Options {
    std::string consumer = "portier";  // shown by gpioinfo
    bool fallback_to_sim = false;
  };

  LineRegistry(boost::asio::io_context& io, sim::SimChip& sim, Options options);
  ~LineRegistry();
  LineRegistry(const LineRegistry&) = delete;
  LineRegistry& operator=(const LineRegistry&) = delete;

  // MQTT relays (mqtt:DEVICE:N) become lines of this hub; without one they are an error. The hub must outlive
  // the registry.
  void set_mqtt_hub(mqtt::DeviceHub* hub) { mqtt_hub_ = hub; }

  // `user` says who wants the line, for errors: "door 'front' relay".
  Result<access::OutputLine*> output(const LineSpec& spec, const std::string& user);
  Result<access::InputLine*> input(const LineSpec& spec, const std::string& user);

  // Keys of gpio lines that fell back to simulated ones.
  const std::vector<std::string>& fallbacks() const { return fallbacks_; }
  std::string dump() const;

 private:
  Status claim(const LineSpec& spec, const std::string& user);
  Result<gpio::GpioChip*> chip(const LineSpec& spec, const std::string& user);
  // The chip, or nullptr when it is missing and fallback_to_sim says to use a simulated line instead.
  Result<gpio::GpioChip*> chip_or_fallback(const LineSpec& spec, const std::string& user);
  std::string sim_name(const LineSpec& spec) const;

  boost::asio::io_context& io_;
  sim::SimChip& sim_;
  Options options_;
  // Declaration order matters: lines are destroyed before the chips they came from.
  std::map<std::string, std::unique_ptr<gpio::GpioChip>> chips_;
  std::vector<std::unique_ptr<gpio::GpioOutputLine>> outputs_;
  std::vector<std::unique_ptr<gpio::GpioInputLine>> inputs_;
  std::vector<std::unique_ptr<mqtt::MqttOutputLine>> mqtt_outputs_;
  mqtt::DeviceHub* mqtt_hub_ = nullptr;
  std::map<std::string, std::string> claims_;  // line key -> user
  std::vector<std::string> fallbacks_;
};

}  // namespace portier::device
