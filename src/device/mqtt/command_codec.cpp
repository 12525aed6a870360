#include "device/mqtt/command_codec.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/random.hpp"

namespace portier::device::mqtt {
namespace {

using json = nlohmann::json;

Error malformed(const std::string& what) { return Error(errc::invalid_argument, "malformed payload: " + what); }

// The payload as a JSON object, or why not. nlohmann is used without exceptions (allow_exceptions = false).
Result<json> object_of(std::string_view payload) {
  if (payload.size() > kMaxPayloadBytes) return malformed("longer than " + std::to_string(kMaxPayloadBytes) + " bytes");
  json j = json::parse(payload.begin(), payload.end(), nullptr, false);
  if (j.is_discarded()) return malformed("not JSON");
  if (!j.is_object()) return malformed("not a JSON object");
  auto v = j.find("v");
  if (v == j.end() || !v->is_number_integer() || v->get<std::int64_t>() != kProtocolVersion)
    return malformed("v: expected " + std::to_string(kProtocolVersion));
  return j;
}

Result<std::string> text_field(const json& j, const char* key, std::size_t max = 64) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return malformed(std::string(key) + ": expected a string");
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max) return malformed(std::string(key) + ": too long");
  return s;
}

Result<std::uint64_t> uint_field(const json& j, const char* key, std::uint64_t max) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_unsigned()) {
    // Small non-negative integers parse as unsigned; anything else (negative, float, string) is refused.
    if (it != j.end() && it->is_number_integer() && it->get<std::int64_t>() >= 0)
      return static_cast<std::uint64_t>(it->get<std::int64_t>());
    return malformed(std::string(key) + ": expected a non-negative integer");
  }
  const auto v = it->get<std::uint64_t>();
  if (v > max) return malformed(std::string(key) + ": out of range");
  return v;
}

Status check_mac(const json& j, std::string_view key, const std::string& text) {
  auto mac = text_field(j, "mac", 64);
  if (!mac) return mac.error();
  if (!constant_time_equal(*mac, hmac_hex(key, text))) return Error(errc::unauthenticated, "bad MAC");
  return {};
}

Result<std::string> device_field(const json& j) {
  auto d = text_field(j, "device", kMaxDeviceNameLength);
  if (!d) return d.error();
  if (!valid_device_name(*d)) return malformed("device: not a device name");
  return d;
}

constexpr std::uint64_t kMaxTs = 1ull << 52;  // ms: far beyond any real clock, exact in a double
constexpr std::uint64_t kMaxCounter = 1ull << 53;

}  // namespace

bool valid_device_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxDeviceNameLength) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

std::string_view to_string(Action action) { return action == Action::unlock ? "unlock" : "lock"; }

std::string_view to_string(AckResult result) {
  switch (result) {
    case AckResult::ok: return "ok";
    case AckResult::duplicate: return "duplicate";
    case AckResult::rejected: return "rejected";
  }
  return "rejected";
}

std::string canonical(const Command& c) {
  return "portier-cmd-v1\n" + c.device + "\n" + std::string(to_string(c.action)) + "\n" + std::to_string(c.output) +
         "\n" + std::to_string(c.duration_ms) + "\n" + std::to_string(c.counter) + "\n" + std::to_string(c.ts_ms);
}

std::string canonical(const Ack& a) {
  return "portier-ack-v1\n" + a.device + "\n" + std::to_string(a.counter) + "\n" + std::string(to_string(a.result)) +
         "\n" + a.reason + "\n" + std::to_string(a.ts_ms);
}

std::string canonical(const State& s) {
  std::string bits;
  for (bool b : s.outputs) bits += b ? '1' : '0';
  return "portier-state-v1\n" + s.device + "\n" + bits + "\n" + std::to_string(s.counter) + "\n" +
         std::to_string(s.ts_ms);
}

std::string hmac_hex(std::string_view key, std::string_view text) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
       text.size(), out, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    hex += kHex[out[i] >> 4];
    hex += kHex[out[i] & 15];
  }
  return hex;
}

std::string serialize(const Command& c, std::string_view key) {
  json j = {{"v", kProtocolVersion},       {"device", c.device},   {"action", to_string(c.action)},
            {"output", c.output},          {"duration_ms", c.duration_ms}, {"counter", c.counter},
            {"ts", c.ts_ms},               {"mac", hmac_hex(key, canonical(c))}};
  return j.dump();
}

std::string serialize(const Ack& a, std::string_view key) {
  json j = {{"v", kProtocolVersion}, {"device", a.device}, {"counter", a.counter}, {"result", to_string(a.result)},
            {"reason", a.reason},    {"ts", a.ts_ms},      {"mac", hmac_hex(key, canonical(a))}};
  return j.dump();
}

std::string serialize(const State& s, std::string_view key) {
  json outputs = json::array();
  for (bool b : s.outputs) outputs.push_back(b);
  json j = {{"v", kProtocolVersion}, {"device", s.device}, {"outputs", outputs}, {"counter", s.counter},
            {"ts", s.ts_ms},         {"mac", hmac_hex(key, canonical(s))}};
  return j.dump();
}

Result<Command> parse_command(std::string_view payload, std::string_view key) {
  auto j = object_of(payload);
  if (!j) return j.error();
  Command c;
  auto device = device_field(*j);
  if (!device) return device.error();
  c.device = *device;
  auto action = text_field(*j, "action", 16);
  if (!action) return action.error();
  if (*action == "unlock") {
    c.action = Action::unlock;
  } else if (*action == "lock") {
    c.action = Action::lock;
  } else {
    return malformed("action: expected unlock or lock");
  }
  auto output = uint_field(*j, "output", 64);
  if (!output) return output.error();
  if (*output < 1) return malformed("output: expected 1 .. 64");
  c.output = static_cast<int>(*output);
  auto duration = uint_field(*j, "duration_ms", 3'600'000);
  if (!duration) return duration.error();
  c.duration_ms = static_cast<std::uint32_t>(*duration);
  auto counter = uint_field(*j, "counter", kMaxCounter);
  if (!counter) return counter.error();
  c.counter = *counter;
  auto ts = uint_field(*j, "ts", kMaxTs);
  if (!ts) return ts.error();
  c.ts_ms = static_cast<std::int64_t>(*ts);
  if (auto st = check_mac(*j, key, canonical(c)); !st) return st.error();
  return c;
}

Result<Ack> parse_ack(std::string_view payload, std::string_view key) {
  auto j = object_of(payload);
  if (!j) return j.error();
  Ack a;
  auto device = device_field(*j);
  if (!device) return device.error();
  a.device = *device;
  auto counter = uint_field(*j, "counter", kMaxCounter);
  if (!counter) return counter.error();
  a.counter = *counter;
  auto result = text_field(*j, "result", 16);
  if (!result) return result.error();
  if (*result == "ok") {
    a.result = AckResult::ok;
  } else if (*result == "duplicate") {
    a.result = AckResult::duplicate;
  } else if (*result == "rejected") {
    a.result = AckResult::rejected;
  } else {
    return malformed("result: expected ok, duplicate or rejected");
  }
  auto reason = text_field(*j, "reason", 32);
  if (!reason) return reason.error();
  a.reason = *reason;
  auto ts = uint_field(*j, "ts", kMaxTs);
  if (!ts) return ts.error();
  a.ts_ms = static_cast<std::int64_t>(*ts);
  if (auto st = check_mac(*j, key, canonical(a)); !st) return st.error();
  return a;
}

Result<State> parse_state(std::string_view payload, std::string_view key) {
  auto j = object_of(payload);
  if (!j) return j.error();
  State s;
  auto device = device_field(*j);
  if (!device) return device.error();
  s.device = *device;
  auto outputs = j->find("outputs");
  if (outputs == j->end() || !outputs->is_array() || outputs->size() > 64)
    return malformed("outputs: expected a list of at most 64 booleans");
  for (const auto& o : *outputs) {
    if (!o.is_boolean()) return malformed("outputs: expected booleans");
    s.outputs.push_back(o.get<bool>());
  }
  auto counter = uint_field(*j, "counter", kMaxCounter);
  if (!counter) return counter.error();
  s.counter = *counter;
  auto ts = uint_field(*j, "ts", kMaxTs);
  if (!ts) return ts.error();
  s.ts_ms = static_cast<std::int64_t>(*ts);
  if (auto st = check_mac(*j, key, canonical(s)); !st) return st.error();
  return s;
}

}  // namespace portier::device::mqtt
