#pragma once
// A door device reached over the network (a WiFi relay on MQTT), as Portier keeps it: its protocol and its
// credentials. Secrets: `broker_password_hash` is the broker's PBKDF2 line (never the password), `login_hash` the
// argon2id hash of a legacy device's HTTP login password; `command_key` must be kept in clear because Portier signs
// commands with it (like a SIP extension's secret).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace portier::access {

enum class DeviceProtocol {
  native,           // portier/<name>/{cmd,ack,state,status}, HMAC-signed commands (docs/mqtt-protocol.md)
  legacy_doorlock,  // the door-lock-server seed's HTTP login + trigger string on a rotated topic (insecure)
};
std::string_view to_string(DeviceProtocol p);  // "native" | "legacy-doorlock"
Result<DeviceProtocol> parse_device_protocol(std::string_view text);

struct NetworkDevice {
  std::string name;                   // [a-z0-9_-]{1,32}: also the broker user name and topic segment
  DeviceProtocol protocol = DeviceProtocol::native;
  std::string broker_password_hash;   // native: mosquitto password-file hash ($7$...)
  std::string command_key;            // native: HMAC-SHA256 key (hex)
  std::string login_hash;             // legacy: argon2id of the HTTP login password
  std::uint64_t counter_reserved = 0; // native: commands up to this counter may have been sent (see DeviceHub)
  Clock::SystemTime created_at{};
  Clock::SystemTime updated_at{};
};

// Port: where devices are kept (store/sqlite implements it).
class DeviceRepository {
 public:
  virtual ~DeviceRepository() = default;
  // errc::already_exists when the name is taken.
  virtual Result<NetworkDevice> create(const NetworkDevice& device) = 0;
  virtual std::optional<NetworkDevice> find(const std::string& name) const = 0;
  virtual Result<std::vector<NetworkDevice>> list() const = 0;
  // New credentials (rotate); errc::not_found for an unknown name.
  virtual Status update_credentials(const std::string& name, const std::string& broker_password_hash,
                                    const std::string& command_key, const std::string& login_hash) = 0;
  virtual Status reserve_counter(const std::string& name, std::uint64_t up_to) = 0;
  virtual Status remove(const std::string& name) = 0;
};

}  // namespace portier::access
