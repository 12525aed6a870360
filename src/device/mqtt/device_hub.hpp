#pragma once
// Portier's side of the MQTT door devices: one broker connection (MqttClient), the registered devices (read from the
// DeviceRepository and re-read every few seconds, so `portier device add` in another process takes effect), their
// presence, and the commands in flight.
//
// Native devices (docs/mqtt-protocol.md): send() signs a command with the device key and a fresh counter, publishes
// it on portier/<name>/cmd at QoS 1 and completes only when the device's signed ack arrives (ok or duplicate), the
// device refuses it (errc::io_error naming the reason) or the command timeout passes (errc::timeout). A device that is
// offline, unknown, or a broker that is disconnected fails at once (errc::unavailable). Counters are reserved in the
// store in blocks, so they keep increasing across restarts without a write per command.
// Presence: the retained portier/<name>/status ("online", or the broker-published last will "offline") and the
// state heartbeats (offline after kStaleAfter without one).
//
// Legacy devices (the door-lock-server seed, `legacy-doorlock`): legacy_login() checks the HTTP password and rotates
// token, lifesign, trigger and topic; trigger() publishes the trigger string on the topic at QoS 1. They are online
// while their last lifesign confirmation is younger than 1.5 x timeout. The topic is a secret: it is never logged,
// never returned by devices(), and lives only in memory (a restart makes the device log in again).
//
// Runs on the io thread. Owned by the app; lines (MqttOutputLine) hold references to it, so it is destroyed after
// the DoorService. Destroying it drops pending callbacks without calling them.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "access/login_throttle.hpp"
#include "access/network_device.hpp"
#include "access/password_hasher.hpp"
#include "access/timer_factory.hpp"
#include "base/clock.hpp"
#include "base/result.hpp"
#include "device/mqtt/command_codec.hpp"
#include "device/mqtt/mqtt_client.hpp"

namespace portier::device::mqtt {

class DeviceHub final : private MqttClient::Listener {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_device_presence(const std::string& device, bool online) = 0;
  };

  struct Options {
    MqttClient::Options client;
    std::chrono::milliseconds command_timeout{3000};
    std::chrono::seconds legacy_timeout{60};       // `timeout` handed to legacy devices at login
    std::chrono::seconds stale_after{90};          // native: offline without a heartbeat this long
    std::chrono::milliseconds reload_interval{2000};
    std::uint64_t counter_block = 1000;
  };

  struct DeviceStatus {
    std::string name;
    access::DeviceProtocol protocol = access::DeviceProtocol::native;
    bool online = false;
    std::optional<Clock::SystemTime> last_seen;
    std::vector<bool> outputs;       // from the last state (native)
    std::uint64_t commands = 0;      // sent since start
    std::uint64_t refusals = 0;      // rejected acks (bad MAC, replay, stale, ...)
    std::uint64_t timeouts = 0;
    std::string last_error;
  };

  struct LegacyLogin {
    std::string token, lifesign, trigger, topic;
    std::int64_t timeout_s = 0;
  };

  DeviceHub(boost::asio::io_context& io, const Clock& clock, access::TimerFactory& timers,
            access::DeviceRepository& repo, const access::PasswordHasher& hasher, Options options,
            Listener& listener);
  ~DeviceHub() override;
  DeviceHub(const DeviceHub&) = delete;
  DeviceHub& operator=(const DeviceHub&) = delete;

  Status start();
  void stop();

  // Native command; `done` runs exactly once on the io thread (maybe before send returns).
  void send(const std::string& device, Action action, int output, std::uint32_t duration_ms,
            std::function<void(Status)> done);
  // Legacy: publish the current trigger on the current topic (QoS 1). errc::unavailable when the device never
  // logged in since Portier started, is offline or the broker is down.
  Status trigger(const std::string& device);
  // Failed logins are throttled per client address and per name (10 in 15 min lock out for 15 min, before any
  // password hashing): errc::rate_limited.
  Result<LegacyLogin> legacy_login(const std::string& name, const std::string& password, const std::string& client);
  Status legacy_ping(const std::string& token);
  Status legacy_confirm(const std::string& token);

  // Re-reads the repository now (after an add/remove/rotate through the API).
  void reload();
  bool connected() const { return client_.connected(); }
  std::string broker() const;
  std::vector<DeviceStatus> devices() const;
  std::optional<access::DeviceProtocol> protocol_of(const std::string& device) const;
  std::string dump() const;

 private:
  struct Device {
    access::NetworkDevice record;
    DeviceStatus status;
    std::uint64_t next_counter = 1;
    std::uint64_t reserved = 0;
    bool status_online = false;                   // native: last retained status
    std::optional<Clock::SteadyTime> heard;       // native: last state/ack; legacy: last confirmation
    LegacyLogin legacy;                           // legacy: current rotation (empty until the first login)
  };
  struct Pending {
    std::string device;
    std::function<void(Status)> done;
    std::unique_ptr<access::Timer> timer;
  };

  void on_mqtt_connected(MqttClient& client) override;
  void on_mqtt_disconnected(MqttClient& client, const std::string& reason) override;
  void on_mqtt_message(MqttClient& client, const std::string& topic, const std::string& payload) override;
  void on_ack(Device& d, const std::string& payload);
  void on_state(Device& d, const std::string& payload);
  void on_status(Device& d, const std::string& payload);
  void complete(const std::string& device, std::uint64_t counter, Status st);
  Result<std::uint64_t> take_counter(Device& d);
  void check_presence();
  bool online(const Device& d) const;
  void set_online(Device& d, bool online);
  Device* find(const std::string& name);
  Device* find_token(const std::string& token);
  void arm_tick();

  boost::asio::io_context& io_;
  const Clock& clock_;
  access::TimerFactory& timers_;
  access::DeviceRepository& repo_;
  const access::PasswordHasher& hasher_;
  Options options_;
  Listener& listener_;
  MqttClient client_;
  std::map<std::string, Device> devices_;
  std::map<std::pair<std::string, std::uint64_t>, Pending> pending_;  // by (device, counter)
  std::unique_ptr<access::Timer> tick_;
  access::LoginThrottle login_throttle_;
  Clock::SteadyTime last_reload_{};
  std::string last_disconnect_;
};

}  // namespace portier::device::mqtt
