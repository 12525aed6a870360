#pragma once
// MQTT door devices, wired: the embedded broker (when configured), the generated broker files, the DeviceHub on the
// io_context, the device admin, and api::DeviceControl for the API. Presence changes become device_online /
// device_offline events once set_events() was called. Owned by Server; built before the doors (their relays are
// lines of the hub) and destroyed after them.
#include <memory>

#include "access/password_hasher.hpp"
#include "api/device_control.hpp"
#include "api/event_stream.hpp"
#include "app/config.hpp"
#include "base/clock.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace boost::asio {
class io_context;
}
namespace portier::device::mqtt {
class DeviceHub;
}

namespace portier::app {

class MqttModule {
 public:
  // Throws std::runtime_error on a configuration problem (unreadable password_file, mosquitto missing).
  MqttModule(boost::asio::io_context& io, const Clock& clock, store::sqlite::SqliteStore& store,
             const access::PasswordHasher& hasher, const Config& config);
  ~MqttModule();

  void set_events(api::EventStream* stream);
  // The doors whose relay is on a device (for the admin view).
  void set_door_relays(std::vector<std::pair<std::string, std::string>> door_relays);
  void start();
  device::mqtt::DeviceHub& hub();
  api::DeviceControl& control();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portier::app
