#pragma once
// The doors, wired: the simulated chip, the line registry (gpio or sim lines per door), timers on the io_context, the
// audit log and permission policy on the store, the event stream, and the DoorService itself. Owned by Server.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "access/door_config.hpp"
#include "access/audit_log.hpp"
#include "access/door_service.hpp"
#include "api/event_stream.hpp"
#include "api/sim_control.hpp"
#include "base/clock.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace boost::asio {
class io_context;
}
namespace portier::device::mqtt {
class DeviceHub;
}

namespace portier::app {

class DoorsModule {
 public:
  struct Options {
    bool expose_sim = false;       // demo mode: GET/POST /api/sim/lines
    bool fallback_to_sim = false;  // --no-hardware: a missing gpio chip becomes a simulated line
    device::mqtt::DeviceHub* mqtt_hub = nullptr;  // relays on MQTT devices; must outlive the module
  };
  // Throws std::runtime_error naming the door, chip and line when a line cannot be had.
  DoorsModule(boost::asio::io_context& io, const Clock& clock, store::sqlite::SqliteStore& store, api::EventHub& hub,
              const std::vector<access::DoorConfig>& doors, Options options);
  ~DoorsModule();

  access::DoorService& doors();
  access::PermissionRepository& permissions();
  access::AuditRepository& audit();
  access::AuditLog& audit_log();  // the one writer of the audit chain (guest passes append through it too)
  api::EventStream& stream();
  api::SimControl* sim();  // null unless expose_sim
  // Called after a door's `ring` event reached the event stream (the intercom starts a call from it).
  void set_ring_handler(std::function<void(const std::string& door)> handler);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portier::app
