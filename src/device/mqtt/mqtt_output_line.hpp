#pragma once
// A relay output of a native MQTT device, as a door's OutputLine. Unlocking waits for the device's signed ack
// (set_active_async); the duration sent with it is the door's pulse length, so the device relocks by itself even if
// Portier's later `lock` command is lost. Relocking sends a `lock` command without waiting for its ack; a line that
// is already inactive sends nothing (so starting Portier while the device is offline is not an error). A relay of a
// legacy-doorlock device publishes its trigger: the seed firmware has no ack, so the unlock counts as done once the
// broker took the message. Owned by LineRegistry; the hub must outlive it.
#include <cstdint>
#include <memory>
#include <string>

#include "access/line_output.hpp"
#include "device/mqtt/device_hub.hpp"

namespace portier::device::mqtt {

class MqttOutputLine final : public access::OutputLine {
 public:
  MqttOutputLine(DeviceHub& hub, std::string device, int output, std::uint32_t pulse_ms);
  Status set_active(bool active) override;
  void set_active_async(bool active, std::function<void(Status)> done) override;
  bool active() const override { return active_; }
  const std::string& name() const override { return name_; }

 private:
  Status send_unwaited(Action action, std::uint32_t duration_ms);

  DeviceHub& hub_;
  std::string device_;
  int output_;
  std::uint32_t pulse_ms_;
  std::string name_;  // "mqtt:<device>:<output>"
  bool active_ = false;
};

}  // namespace portier::device::mqtt
