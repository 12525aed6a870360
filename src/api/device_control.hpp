#pragma once
// What the API needs of the MQTT door devices: the device admin (GET/POST/DELETE /api/devices...) and the
// legacy-doorlock HTTP endpoints of the door-lock-server seed (/device_login, /device_ping, /device_lifesign_confirm).
// Implemented by the app over device::mqtt::DeviceHub, so api does not depend on device.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace portier::api {

struct DeviceView {
  std::string name;
  std::string protocol;      // "native" | "legacy-doorlock"
  bool insecure = false;     // legacy-doorlock: security rests on a secret topic
  bool online = false;
  std::optional<Clock::SystemTime> last_seen;
  std::vector<bool> outputs;
  std::uint64_t commands = 0;
  std::uint64_t refusals = 0;
  std::uint64_t timeouts = 0;
  std::string last_error;
  std::vector<std::string> doors;  // doors whose relay is on this device
};

// What `device add` / `device rotate` hand out, once: field -> value ("device", "protocol", "username", "password",
// "command_key", "broker").
using DeviceCredentials = std::map<std::string, std::string>;

struct LegacyLoginView {
  std::string token, lifesign, trigger, topic;
  std::int64_t timeout = 0;
};

class DeviceControl {
 public:
  virtual ~DeviceControl() = default;
  virtual bool connected() const = 0;
  virtual std::string broker() const = 0;
  virtual std::vector<DeviceView> devices() const = 0;
  // `password`: empty generates one (native broker password / legacy login password).
  virtual Result<DeviceCredentials> add(const std::string& name, const std::string& protocol,
                                        const std::string& password) = 0;
  virtual Result<DeviceCredentials> rotate(const std::string& name, const std::string& password) = 0;
  virtual Status remove(const std::string& name) = 0;

  // `client`: the caller's address, for throttling failed logins (errc::rate_limited).
  virtual Result<LegacyLoginView> legacy_login(const std::string& name, const std::string& password,
                                               const std::string& client) = 0;
  virtual Status legacy_ping(const std::string& token) = 0;
  virtual Status legacy_confirm(const std::string& token) = 0;
};

}  // namespace portier::api
