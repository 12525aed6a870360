#pragma once
// The native MQTT lock protocol's payloads (docs/mqtt-protocol.md): commands Portier sends on portier/<device>/cmd,
// acks and state the device sends back. Every payload is a JSON object carrying an HMAC-SHA256 (hex) over a
// canonical text of its fields, keyed with the device's command key. Pure: bytes in, Result out; never throws.
// Used by the server (device_hub), the reference simulator (portier-lock-sim), the unit tests and the fuzzer.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace portier::device::mqtt {

inline constexpr int kProtocolVersion = 1;
inline constexpr std::size_t kMaxPayloadBytes = 4096;  // anything longer is refused before parsing
inline constexpr std::size_t kMaxDeviceNameLength = 32;

// Device names are topic segments: 1-32 of [a-z0-9_-] (no MQTT wildcards, no '/').
bool valid_device_name(std::string_view name);

enum class Action { unlock, lock };
std::string_view to_string(Action action);

struct Command {
  std::string device;
  Action action = Action::unlock;
  int output = 1;                 // 1-based relay number
  std::uint32_t duration_ms = 0;  // unlock: relock after this; 0 = until a lock command
  std::uint64_t counter = 0;      // strictly increasing per device
  std::int64_t ts_ms = 0;         // sender's wall clock, Unix ms
};

enum class AckResult { ok, duplicate, rejected };
std::string_view to_string(AckResult result);

struct Ack {
  std::string device;
  std::uint64_t counter = 0;  // the command's counter (0 when the command could not be read at all)
  AckResult result = AckResult::ok;
  std::string reason;         // rejected: bad_mac | replay | stale | malformed | bad_output | wrong_device
  std::int64_t ts_ms = 0;
};

struct State {
  std::string device;
  std::vector<bool> outputs;  // true = unlocked
  std::uint64_t counter = 0;  // last accepted command
  std::int64_t ts_ms = 0;
};

// The text each MAC is computed over (documented byte for byte in docs/mqtt-protocol.md).
std::string canonical(const Command& c);
std::string canonical(const Ack& a);
std::string canonical(const State& s);

// HMAC-SHA256(key, text) as 64 lowercase hex digits.
std::string hmac_hex(std::string_view key, std::string_view text);

std::string serialize(const Command& c, std::string_view key);
std::string serialize(const Ack& a, std::string_view key);
std::string serialize(const State& s, std::string_view key);

// Parse and check the MAC. errc::invalid_argument for malformed payloads (message says what), errc::unauthenticated
// for a wrong MAC. The key is the receiving side's copy of the device key.
Result<Command> parse_command(std::string_view payload, std::string_view key);
Result<Ack> parse_ack(std::string_view payload, std::string_view key);
Result<State> parse_state(std::string_view payload, std::string_view key);

}  // namespace portier::device::mqtt
