#include "app/doors_module.hpp"

#include <stdexcept>

#include <boost/asio/io_context.hpp>

#include "access/audit_log.hpp"
#include "access/permission_policy.hpp"
#include "base/log.hpp"
#include "device/asio_timer_factory.hpp"
#include "device/line_registry.hpp"
#include "device/door_lines.hpp"
#include "device/sim/sim_chip.hpp"

namespace portier::app {
namespace {

class SimControlAdapter final : public api::SimControl {
 public:
  explicit SimControlAdapter(device::sim::SimChip& chip) : chip_(chip) {}
  std::vector<api::SimLine> lines() const override {
    std::vector<api::SimLine> out;
    for (const auto& l : chip_.lines())
      out.push_back({l.name, std::string(device::sim::to_string(l.direction)), l.value, l.changes});
    return out;
  }
  Status drive(const std::string& name, bool value) override { return chip_.drive(name, value); }

 private:
  device::sim::SimChip& chip_;
};

// The DoorService's listener: every event to the stream, rings also to the intercom.
class DoorEvents final : public access::DoorService::Listener {
 public:
  explicit DoorEvents(api::EventStream& stream) : stream_(stream) {}
  void on_door_event(const access::Event& e) override {
    stream_.on_door_event(e);
    if (e.type == access::EventType::ring && on_ring) on_ring(e.door);
  }
  std::function<void(const std::string&)> on_ring;

 private:
  api::EventStream& stream_;
};

}  // namespace

// Members in dependency order; destroyed in reverse (the service before the lines it drives).
struct DoorsModule::Impl {
  Impl(boost::asio::io_context& io, const Clock& clock, store::sqlite::SqliteStore& store, api::EventHub& hub,
       Options options)
      : sim(clock),
        lines(io, sim, {"portier", options.fallback_to_sim}),
        timers(io),
        audit_log(store.audit(), clock),
        policy(store.permissions()),
        stream(store.history(), hub),
        door_events(stream),
        service(audit_log, policy, timers, clock, door_events),
        store_(store) {
    if (options.expose_sim) sim_control = std::make_unique<SimControlAdapter>(sim);
    lines.set_mqtt_hub(options.mqtt_hub);
  }

  device::sim::SimChip sim;
  device::LineRegistry lines;
  device::AsioTimerFactory timers;
  access::AuditLog audit_log;
  access::PermissionPolicy policy;
  api::EventStream stream;
  DoorEvents door_events;
  access::DoorService service;
  std::unique_ptr<SimControlAdapter> sim_control;
  store::sqlite::SqliteStore& store_;
};


DoorsModule::DoorsModule(boost::asio::io_context& io, const Clock& clock, store::sqlite::SqliteStore& store,
                         api::EventHub& hub, const std::vector<access::DoorConfig>& doors, Options options)
    : impl_(std::make_unique<Impl>(io, clock, store, hub, options)) {
  if (auto st = impl_->audit_log.open(); !st) throw std::runtime_error("audit log: " + st.error().what());
  if (auto st = device::add_doors(impl_->lines, impl_->service, doors); !st) throw std::runtime_error(st.error().what());
  for (const auto& key : impl_->lines.fallbacks())
    portier::log::get("doors")->warn("gpio line {} is missing: using a simulated line (--no-hardware)", key);
  if (auto st = impl_->service.start(); !st) throw std::runtime_error("doors: " + st.error().what());
}

DoorsModule::~DoorsModule() = default;

access::DoorService& DoorsModule::doors() { return impl_->service; }
access::PermissionRepository& DoorsModule::permissions() { return impl_->store_.permissions(); }
access::AuditRepository& DoorsModule::audit() { return impl_->store_.audit(); }
access::AuditLog& DoorsModule::audit_log() { return impl_->audit_log; }
api::EventStream& DoorsModule::stream() { return impl_->stream; }
api::SimControl* DoorsModule::sim() { return impl_->sim_control.get(); }
void DoorsModule::set_ring_handler(std::function<void(const std::string&)> handler) {
  impl_->door_events.on_ring = std::move(handler);
}

}  // namespace portier::app
