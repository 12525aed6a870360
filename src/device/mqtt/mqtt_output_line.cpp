#include "device/mqtt/mqtt_output_line.hpp"

#include "base/log.hpp"

namespace portier::device::mqtt {

MqttOutputLine::MqttOutputLine(DeviceHub& hub, std::string device, int output, std::uint32_t pulse_ms)
    : hub_(hub),
      device_(std::move(device)),
      output_(output),
      pulse_ms_(pulse_ms),
      name_("mqtt:" + device_ + ":" + std::to_string(output_)) {}

void MqttOutputLine::set_active_async(bool active, std::function<void(Status)> done) {
  if (!active) return done(set_active(false));
  if (hub_.protocol_of(device_) == access::DeviceProtocol::legacy_doorlock) {
    auto st = hub_.trigger(device_);
    if (st) active_ = true;
    return done(st);
  }
  hub_.send(device_, Action::unlock, output_, pulse_ms_, [this, done = std::move(done)](Status st) {
    if (st) active_ = true;
    done(st);
  });
}

namespace {
// A command whose answer may come after the caller returned: the first answer given before returning is the
// result; a later one is only logged.
struct Answer {
  bool returned = false;
  bool answered = false;
  Status result;
};
}  // namespace

Status MqttOutputLine::send_unwaited(Action action, std::uint32_t duration_ms) {
  auto answer = std::make_shared<Answer>();
  auto on_answer = [answer, device = device_](Status st) {
    if (!answer->returned) {
      answer->answered = true;
      answer->result = st;
    } else if (!st) {
      log::get("mqtt")->warn("device {}: command not confirmed: {}", device, st.error().what());
    }
  };
  hub_.send(device_, action, output_, duration_ms, on_answer);
  answer->returned = true;
  // Failing at once (offline, broker down) is reported so the door retries; a sent command counts as driven.
  return answer->answered ? answer->result : Status{};
}

Status MqttOutputLine::set_active(bool active) {
  const bool legacy = hub_.protocol_of(device_) == access::DeviceProtocol::legacy_doorlock;
  if (active) {
    auto st = legacy ? hub_.trigger(device_) : send_unwaited(Action::unlock, pulse_ms_);
    if (st) active_ = true;
    return st;
  }
  if (!active_) return {};
  if (!legacy) {
    if (auto st = send_unwaited(Action::lock, 0); !st) return st;
  }
  active_ = false;  // the seed relocks by itself: a legacy device has nothing to send
  return {};
}

}  // namespace portier::device::mqtt
