#pragma once
// The device side of the native protocol: decides whether a received command may run. A firmware keeps exactly
// this state (docs/firmware.md): the last accepted counter and that command's MAC. Refuses bad MACs, counters not
// above the last one, timestamps outside the window and outputs it does not have; a redelivery of the last accepted
// command (same counter and MAC, e.g. a QoS 1 duplicate after a broker restart) is answered `duplicate` and not run
// again. Pure; the caller supplies the time, so tests use a fake clock.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "device/mqtt/command_codec.hpp"

namespace portier::device::mqtt {

class CommandGuard {
 public:
  struct Options {
    std::string device;                      // this device's name
    std::string key;                         // its command key
    int outputs = 1;                         // relays 1..outputs
    std::chrono::milliseconds window{30000}; // |ts - now| must be within this
  };
  struct Decision {
    AckResult result = AckResult::rejected;  // ok: run `command`; duplicate: ack again, do not run
    std::string reason;                      // rejected: bad_mac | replay | stale | malformed | bad_output | wrong_device
    Command command;                         // filled when the payload parsed (counter best effort otherwise)
  };

  explicit CommandGuard(Options options, std::uint64_t last_counter = 0);

  // `now_ms`: the device's wall clock (Unix ms). On `ok` the counter advances.
  Decision check(std::string_view payload, std::int64_t now_ms);
  // The ack a device sends for a decision.
  Ack ack_for(const Decision& d, std::int64_t now_ms) const;
  std::uint64_t last_counter() const { return last_counter_; }
  std::string dump() const;

 private:
  Options options_;
  std::uint64_t last_counter_ = 0;
  std::string last_mac_;
};

}  // namespace portier::device::mqtt
