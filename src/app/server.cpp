#include "app/server.hpp"

#include <sys/stat.h>

#include <map>
#include <set>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "access/auth_service.hpp"
#include "access/password_hasher.hpp"
#include "api/api_server.hpp"
#include "api/event_hub.hpp"
#include "api/http_server.hpp"
#include "api/metrics.hpp"
#include "app/calls_module.hpp"
#include "app/webrtc_module.hpp"
#include "app/door_setup.hpp"
#include "app/doors_module.hpp"
#include "app/passes_module.hpp"
#include "app/mqtt_module.hpp"
#include "app/sip_module.hpp"
#include "app/store_factory.hpp"
#include "base/log.hpp"

namespace portier::app {

std::unique_ptr<store::sqlite::SqliteStore> open_store(const Config& config, const Clock& clock) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) throw std::runtime_error("cannot create data_dir " + config.data_dir.string() + ": " + ec.message());
  ::chmod(config.data_dir.c_str(), 0700);
  auto store = store::sqlite::SqliteStore::open(config.data_dir / "portier.db", clock);
  if (!store) throw std::runtime_error(store.error().what());
  return std::move(store.value());
}

access::AuthOptions auth_options(const AuthConfig& a) {
  access::AuthOptions o;
  o.sessions = {a.session_idle, a.session_absolute, 10000};
  o.account_throttle = {a.max_failures, a.failure_window, a.lockout, 100000};
  o.ip_throttle = {a.ip_max_failures, a.failure_window, a.lockout, 100000};
  return o;
}

// Construction order is dependency order; members are destroyed in reverse.
std::vector<access::DoorConfig> planned_doors(const Config& config) {
  auto plan = plan_doors(config);
  if (!plan.errors.empty()) throw std::runtime_error(plan.errors.front().format());
  return plan.doors;
}

// Door id -> the ring group a browser dials to be that door: the first door naming each group (the intercom's
// door_by_group picks the first too).
std::map<std::string, std::string> door_call_groups(const Config& config) {
  std::map<std::string, std::string> out;
  std::set<std::string> taken;
  for (const auto& e : merged_door_entries(config)) {
    if (!e.ring_group || e.ring_group->empty() || !taken.insert(*e.ring_group).second) continue;
    out.emplace(e.id, *e.ring_group);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> door_relays(const Config& config) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& d : planned_doors(config)) out.emplace_back(d.id, d.relay);
  return out;
}

struct Server::Parts {
  Parts(Config c, Options options)
      : config(std::move(c)),
        store(open_store(config, clock)),
        hasher(config.auth.argon2_opslimit, config.auth.argon2_memlimit_kib * 1024),
        auth(store->users(), store->tokens(), hasher, clock, auth_options(config.auth)),
        mqtt(config.mqtt.enabled() ? std::make_unique<MqttModule>(ioc, clock, *store, hasher, config) : nullptr),
        doors(ioc, clock, *store, events, planned_doors(config),
              {config.demo, options.no_hardware, mqtt ? &mqtt->hub() : nullptr}),
        passes(config.guest_passes.enabled ? std::make_unique<PassesModule>(ioc, clock, *store, doors, config)
                                           : nullptr),
        sip(config.sip.listen.empty() ? nullptr
                                      : std::make_unique<SipModule>(ioc, clock, *store, doors.stream(), config)),
        calls(sip ? std::make_unique<CallsModule>(ioc, clock, *sip, doors, config) : nullptr),
        webrtc(calls && config.features.webrtc.enabled
                   ? std::make_unique<WebRtcModule>(ioc, clock, *sip, *calls, config)
                   : nullptr),
        ctx(make_context()),
        api(ctx, config.http.web_root.empty() ? api::StaticFiles() : api::StaticFiles(config.http.web_root)),
        http(ioc, http_options(config.http), api),
        signals(ioc, SIGINT, SIGTERM) {}

  api::ApiContext make_context() {
    api::ApiContext c{auth, metrics, events};
    c.doors = &doors.doors();
    c.permissions = &doors.permissions();
    c.audit = &doors.audit();
    c.stream = &doors.stream();
    c.sim = doors.sim();
    if (c.sim && calls) c.sim_door_groups = door_call_groups(config);
    c.sip = sip ? &sip->status() : nullptr;
    c.calls = calls ? &calls->control() : nullptr;
    c.webrtc = webrtc ? &webrtc->control() : nullptr;
    c.recordings_dir = calls ? calls->recordings_dir() : "";
    c.passes = passes ? &passes->service() : nullptr;
    c.public_url = config.guest_passes.public_url;
    c.devices = mqtt ? &mqtt->control() : nullptr;
    c.secure_cookies = config.http.tls.enabled();
    c.session_max_age = config.auth.session_absolute;
    c.version = PORTIER_VERSION;
    return c;
  }

  static api::HttpServer::Options http_options(const HttpConfig& h) {
    api::HttpServer::Options o;
    o.host = h.listen.host;
    o.port = h.listen.port;
    o.tls_cert = h.tls.cert.string();
    o.tls_key = h.tls.key.string();
    o.max_body_bytes = h.max_body_bytes;
    o.request_timeout = h.request_timeout;
    o.idle_timeout = h.idle_timeout;
    o.max_connections = h.max_connections;
    o.trusted_proxies = h.trusted_proxies;
    return o;
  }

  Config config;
  boost::asio::io_context ioc{1};
  SystemClock clock;
  std::unique_ptr<store::sqlite::SqliteStore> store;
  access::PasswordHasher hasher;
  access::AuthService auth;
  api::Metrics metrics;
  api::EventHub events;
  std::unique_ptr<MqttModule> mqtt;  // before the doors: their MQTT relays use its hub
  DoorsModule doors;
  std::unique_ptr<PassesModule> passes;
  std::unique_ptr<SipModule> sip;
  std::unique_ptr<CallsModule> calls;  // after sip and doors: borrows both
  std::unique_ptr<WebRtcModule> webrtc;  // after calls: borrows it and sip
  api::ApiContext ctx;
  api::ApiServer api;
  api::HttpServer http;
  boost::asio::signal_set signals;
};

Server::Server(Config config, Options options) : parts_(std::make_unique<Parts>(std::move(config), options)) {}
Server::~Server() = default;

int Server::run() {
  auto& p = *parts_;
  auto log = portier::log::get("app");
  auto port = p.http.start();
  if (!port) {
    log->error("{}", port.error().what());
    return 1;
  }
  if (p.sip) p.sip->start();
  if (p.webrtc) p.webrtc->start();
  if (p.passes) p.passes->start();
  if (p.mqtt) {
    p.mqtt->set_events(&p.doors.stream());
    p.mqtt->set_door_relays(door_relays(p.config));
    auto* control = &p.mqtt->control();
    p.metrics.set_gauge("portier_mqtt_connected", "1 while connected to the MQTT broker.",
                        [control] { return control->connected() ? 1.0 : 0.0; });
    p.metrics.set_gauge("portier_mqtt_devices_online", "MQTT door devices online.", [control] {
      double n = 0;
      for (const auto& d : control->devices()) n += d.online ? 1 : 0;
      return n;
    });
    try {
      p.mqtt->start();
    } catch (const std::exception& e) {
      log->error("{}", e.what());
      return 1;
    }
  }
  p.metrics.set_gauge("portier_http_connections", "Open HTTP/WebSocket connections.",
                      [&p] { return static_cast<double>(p.http.connections()); });
  p.metrics.set_gauge("portier_event_clients", "Connected event-stream WebSocket clients.",
                      [&p] { return static_cast<double>(p.events.size()); });
  const char* scheme = p.config.http.tls.enabled() ? "https" : "http";
  log->info("Portier {} listening on {}://{}:{} (data in {}{})", PORTIER_VERSION, scheme, p.config.http.listen.host,
            *port, p.config.data_dir.string(), p.config.demo ? ", demo mode" : "");
  if (p.auth.onboarding_required())
    log->info("no users yet: open {}://{}:{}/ to create the first admin", scheme, p.config.http.listen.host, *port);
  p.signals.async_wait([&p, log](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log->info("signal {}: shutting down", sig);
    p.http.stop();
    p.ioc.stop();
  });
  p.ioc.run();
  return 0;
}

}  // namespace portier::app
