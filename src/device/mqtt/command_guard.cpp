#include "device/mqtt/command_guard.hpp"

#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace portier::device::mqtt {
namespace {

// The counter and MAC of an unauthenticated payload, only to echo in a rejection so that the sender can match it.
void peek(std::string_view payload, std::uint64_t& counter, std::string& mac) {
  if (payload.size() > kMaxPayloadBytes) return;
  auto j = nlohmann::json::parse(payload.begin(), payload.end(), nullptr, false);
  if (!j.is_object()) return;
  if (auto c = j.find("counter"); c != j.end() && c->is_number_unsigned()) counter = c->get<std::uint64_t>();
  if (auto m = j.find("mac"); m != j.end() && m->is_string() && m->get_ref<const std::string&>().size() <= 64)
    mac = m->get<std::string>();
}

}  // namespace

CommandGuard::CommandGuard(Options options, std::uint64_t last_counter)
    : options_(std::move(options)), last_counter_(last_counter) {}

CommandGuard::Decision CommandGuard::check(std::string_view payload, std::int64_t now_ms) {
  Decision d;
  std::string mac;
  peek(payload, d.command.counter, mac);
  auto c = parse_command(payload, options_.key);
  if (!c) {
    d.reason = c.error().code == errc::unauthenticated ? "bad_mac" : "malformed";
    return d;
  }
  d.command = *c;
  if (c->device != options_.device) {
    d.reason = "wrong_device";
  } else if (c->counter == last_counter_ && !last_mac_.empty() && mac == last_mac_) {
    d.result = AckResult::duplicate;
  } else if (c->counter <= last_counter_) {
    d.reason = "replay";
  } else if (c->ts_ms < now_ms - options_.window.count() || c->ts_ms > now_ms + options_.window.count()) {
    d.reason = "stale";
  } else if (c->output < 1 || c->output > options_.outputs) {
    d.reason = "bad_output";
  } else {
    d.result = AckResult::ok;
    last_counter_ = c->counter;
    last_mac_ = mac;
  }
  return d;
}

Ack CommandGuard::ack_for(const Decision& d, std::int64_t now_ms) const {
  return Ack{options_.device, d.command.counter, d.result, d.reason, now_ms};
}

std::string CommandGuard::dump() const {
  return "CommandGuard{device=" + options_.device + " outputs=" + std::to_string(options_.outputs) +
         " window_ms=" + std::to_string(options_.window.count()) + " last_counter=" + std::to_string(last_counter_) +
         "}";
}

}  // namespace portier::device::mqtt
