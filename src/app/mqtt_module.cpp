#include "app/mqtt_module.hpp"

#include <unistd.h>

#include <stdexcept>

#include <boost/asio/io_context.hpp>

#include "app/device_admin.hpp"
#include "base/log.hpp"
#include "device/asio_timer_factory.hpp"
#include "device/mqtt/device_hub.hpp"
#include "device/mqtt/embedded_broker.hpp"

namespace portier::app {
namespace {

device::mqtt::DeviceHub::Options hub_options(const Config& config, const PortierAccount& me) {
  device::mqtt::DeviceHub::Options o;
  const auto broker = config.mqtt.broker_address();
  o.client.client_id = "portier-" + std::to_string(::getpid());
  o.client.host = broker.host;
  o.client.port = broker.port;
  o.client.username = me.username;
  o.client.password = me.password;
  o.client.tls = config.mqtt.tls;
  o.client.ca_file = config.mqtt.ca_file.string();
  o.command_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(config.mqtt.command_timeout);
  o.legacy_timeout = config.mqtt.legacy_timeout;
  return o;
}

}  // namespace

struct MqttModule::Impl final : public device::mqtt::DeviceHub::Listener, public api::DeviceControl {
  Impl(boost::asio::io_context& io, const Clock& clock, store::sqlite::SqliteStore& store,
       const access::PasswordHasher& hasher, const Config& config)
      : clock_(clock),
        config_(config),
        timers_(io),
        me_(portier_account(config)),
        admin_(store.devices(), hasher, config_),
        hub_(io, clock, timers_, store.devices(), hasher, hub_options(config, me_), *this) {}

  // ---- DeviceHub::Listener ----
  void on_device_presence(const std::string& device, bool online) override {
    if (!events_) return;
    access::Event e;
    e.type = online ? access::EventType::device_online : access::EventType::device_offline;
    e.time = clock_.now();
    e.actor = device;
    e.method = "mqtt";
    e.detail = "device " + device + (online ? " online" : " offline");
    events_->publish(e);
  }

  // ---- api::DeviceControl ----
  bool connected() const override { return hub_.connected(); }
  std::string broker() const override { return hub_.broker(); }
  std::vector<api::DeviceView> devices() const override {
    std::vector<api::DeviceView> out;
    for (const auto& d : hub_.devices()) {
      api::DeviceView v;
      v.name = d.name;
      v.protocol = std::string(access::to_string(d.protocol));
      v.insecure = d.protocol == access::DeviceProtocol::legacy_doorlock;
      v.online = d.online;
      v.last_seen = d.last_seen;
      v.outputs = d.outputs;
      v.commands = d.commands;
      v.refusals = d.refusals;
      v.timeouts = d.timeouts;
      v.last_error = d.last_error;
      for (const auto& [door, relay] : door_relays_)
        if (relay.rfind("mqtt:" + d.name + ":", 0) == 0) v.doors.push_back(door);
      out.push_back(std::move(v));
    }
    return out;
  }
  Result<api::DeviceCredentials> add(const std::string& name, const std::string& protocol,
                                     const std::string& password) override {
    auto r = admin_.add(name, protocol, password);
    hub_.reload();
    return r;
  }
  Result<api::DeviceCredentials> rotate(const std::string& name, const std::string& password) override {
    auto r = admin_.rotate(name, password);
    hub_.reload();
    return r;
  }
  Status remove(const std::string& name) override {
    auto st = admin_.remove(name);
    hub_.reload();
    return st;
  }
  Result<api::LegacyLoginView> legacy_login(const std::string& name, const std::string& password,
                                            const std::string& client) override {
    auto r = hub_.legacy_login(name, password, client);
    if (!r) return r.error();
    return api::LegacyLoginView{r->token, r->lifesign, r->trigger, r->topic, r->timeout_s};
  }
  Status legacy_ping(const std::string& token) override { return hub_.legacy_ping(token); }
  Status legacy_confirm(const std::string& token) override { return hub_.legacy_confirm(token); }

  const Clock& clock_;
  const Config& config_;
  device::AsioTimerFactory timers_;
  PortierAccount me_;
  DeviceAdmin admin_;
  std::unique_ptr<device::mqtt::EmbeddedBroker> broker_;
  device::mqtt::DeviceHub hub_;  // after the broker: stopped first
  api::EventStream* events_ = nullptr;
  std::vector<std::pair<std::string, std::string>> door_relays_;
};

MqttModule::MqttModule(boost::asio::io_context& io, const Clock& clock, store::sqlite::SqliteStore& store,
                       const access::PasswordHasher& hasher, const Config& config)
    : impl_(std::make_unique<Impl>(io, clock, store, hasher, config)) {}

MqttModule::~MqttModule() {
  impl_->hub_.stop();
  if (impl_->broker_) impl_->broker_->stop();
}

void MqttModule::set_events(api::EventStream* stream) { impl_->events_ = stream; }
void MqttModule::set_door_relays(std::vector<std::pair<std::string, std::string>> door_relays) {
  impl_->door_relays_ = std::move(door_relays);
}

void MqttModule::start() {
  auto& i = *impl_;
  auto log = portier::log::get("mqtt");
  if (auto st = i.admin_.sync_broker_files(); !st) throw std::runtime_error("mqtt: " + st.error().what());
  if (i.config_.mqtt.embedded_broker) {
    const auto layout = broker_layout(i.config_);
    device::mqtt::EmbeddedBrokerConfig bc;
    const auto addr = i.config_.mqtt.broker_address();
    bc.host = addr.host;
    bc.port = addr.port;
    if (!i.config_.mqtt.legacy_listener.empty()) {
      HostPort legacy;
      parse_host_port(i.config_.mqtt.legacy_listener, legacy);
      bc.legacy_host = legacy.host;
      bc.legacy_port = legacy.port;
    }
    if (auto st = device::mqtt::write_broker_conf(layout, bc); !st) throw std::runtime_error("mqtt: " + st.error().what());
    i.broker_ = std::make_unique<device::mqtt::EmbeddedBroker>(i.timers_, layout);
    if (auto st = i.broker_->start(); !st) throw std::runtime_error("mqtt: " + st.error().what());
  }
  if (auto st = i.hub_.start(); !st) throw std::runtime_error(st.error().what());
  log->info("MQTT devices: broker {}{}", i.hub_.broker(), i.config_.mqtt.embedded_broker ? " (embedded)" : "");
}

device::mqtt::DeviceHub& MqttModule::hub() { return impl_->hub_; }
api::DeviceControl& MqttModule::control() { return *impl_; }

}  // namespace portier::app
