#include "app/sip_module.hpp"

#include <boost/asio/io_context.hpp>

#include "app/persisted_bindings.hpp"
#include "base/log.hpp"
#include "sip/ua/sip_server.hpp"

namespace portier::app {
namespace {

using sip::ua::Binding;

sip::ua::Role to_sip_role(access::ExtensionRole r) {
  switch (r) {
    case access::ExtensionRole::resident: return sip::ua::Role::resident;
    case access::ExtensionRole::door: return sip::ua::Role::door;
    case access::ExtensionRole::ata: return sip::ua::Role::ata;
    case access::ExtensionRole::trunk_peer: return sip::ua::Role::trunk_peer;
  }
  return sip::ua::Role::resident;
}

class Directory final : public sip::ua::ExtensionDirectory {
 public:
  explicit Directory(access::ExtensionRepository& repo) : repo_(repo) {}
  std::optional<sip::ua::Extension> find(std::string_view number) const override {
    auto e = repo_.find(std::string(number));
    if (!e) return std::nullopt;
    return sip::ua::Extension{e->number, e->display_name, e->secret, to_sip_role(e->role)};
  }

 private:
  access::ExtensionRepository& repo_;
};

class Events final : public sip::ua::RegistrationListener {
 public:
  Events(api::EventStream& stream, const Clock& clock) : stream_(stream), clock_(clock) {}
  void on_binding_registered(const Binding& b) override { publish(access::EventType::registered, b); }
  void on_binding_unregistered(const Binding& b) override { publish(access::EventType::unregistered, b); }
  void on_binding_expired(const Binding& b) override { publish(access::EventType::registration_expired, b); }

 private:
  void publish(access::EventType type, const Binding& b) {
    access::Event e;
    e.type = type;
    e.time = clock_.now();
    e.actor = b.aor;
    e.method = "sip";
    e.detail = b.contact + " from " + b.source.to_string();
    stream_.publish(e);
  }
  api::EventStream& stream_;
  const Clock& clock_;
};

sip::ua::SipServer::Options sip_options(const Config& c) {
  sip::ua::SipServer::Options o;
  o.listen = c.sip.listen;
  o.domain = c.sip.domain;
  o.tls_certificate = c.http.tls.cert.string();
  o.tls_private_key = c.http.tls.key.string();
  o.nat_keepalive_interval = std::chrono::seconds{c.features.webrtc.nat.udp_update_time};
  o.rport = c.features.webrtc.nat.rport;
  // Ring timeouts are the ring groups' business: the SIP layer's own limit only catches a call nobody handles.
  o.ring_timeout = std::chrono::seconds{600};
  return o;
}

}  // namespace

struct SipModule::Impl final : api::SipStatus {
  Impl(boost::asio::io_context& io, const Clock& clock, store::sqlite::SqliteStore& store, api::EventStream& stream,
       const Config& config)
      : extension_repo(store.extensions()),
        directory(store.extensions()),
        bindings(io, store.registrations()),
        events(stream, clock),
        server(io, sip_options(config), directory, bindings, &events, clock) {}

  std::vector<api::RegistrationView> registrations() const override {
    std::vector<api::RegistrationView> out;
    for (const auto& b : server.registrations())
      out.push_back({b.aor, b.contact, b.expires_at, transport_name(b.source.protocol), b.source.to_string(),
                     b.user_agent, b.behind_nat()});
    return out;
  }
  std::vector<api::ExtensionView> extensions_view() const {
    std::vector<api::ExtensionView> out;
    for (const auto& e : extension_repo.list())
      out.push_back({e.number, e.display_name, std::string(access::to_string(e.role)),
                     server.registrations(e.number).size()});
    return out;
  }
  std::vector<api::ExtensionView> extensions() const override { return extensions_view(); }
  std::vector<std::string> listening() const override { return server.listening(); }

  access::ExtensionRepository& extension_repo;
  Directory directory;
  PersistedBindings bindings;  // outlives the server, which saves into it
  Events events;
  sip::ua::SipServer server;
};

SipModule::SipModule(boost::asio::io_context& io, const Clock& clock, store::sqlite::SqliteStore& store,
                     api::EventStream& events, const Config& config)
    : impl_(std::make_unique<Impl>(io, clock, store, events, config)) {}

SipModule::~SipModule() {
  if (impl_) impl_->server.stop();
}

void SipModule::start() { impl_->server.start(); }  // the SIP server logs its listeners

api::SipStatus& SipModule::status() { return *impl_; }
sip::ua::SipServer& SipModule::server() { return impl_->server; }

}  // namespace portier::app
