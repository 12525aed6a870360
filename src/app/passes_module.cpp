#include "app/passes_module.hpp"

#include <stdexcept>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/log.hpp"

namespace portier::app {

access::PassOptions pass_options(const GuestPassConfig& c) {
  access::PassOptions o;
  o.default_validity = c.default_validity;
  o.purge_after = c.purge_after;
  o.pin_max_failures = c.pin_max_failures;
  o.pin_lockout = c.pin_lockout;
  o.per_ip = {static_cast<double>(c.per_ip_per_minute), static_cast<double>(c.per_ip_burst), 100000};
  o.per_token = {static_cast<double>(c.per_token_per_minute), static_cast<double>(c.per_token_burst), 100000};
  return o;
}

namespace {
access::SiteTimeZone zone_for(const Config& config) {
  auto zone = access::SiteTimeZone::named(config.timezone);
  if (!zone) throw std::runtime_error("timezone: " + zone.error().what());
  return *zone;
}
}  // namespace

struct PassesModule::Impl {
  Impl(boost::asio::io_context& io, const Clock& clock, store::sqlite::SqliteStore& store, DoorsModule& doors,
       const Config& config)
      : zone(zone_for(config)),
        service(store.passes(), doors.doors(), doors.audit_log(), zone, clock, doors.stream(),
                pass_options(config.guest_passes)),
        timer(io) {}

  void purge() {
    auto n = service.purge();
    auto log = portier::log::get("passes");
    if (!n) log->warn("purging ended guest passes failed: {}", n.error().what());
    else if (*n > 0) log->info("purged {} guest passes that ended long ago", *n);
    timer.expires_after(std::chrono::hours(1));
    timer.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) purge();
    });
  }

  access::SiteTimeZone zone;
  access::PassService service;
  boost::asio::steady_timer timer;
};

PassesModule::PassesModule(boost::asio::io_context& io, const Clock& clock, store::sqlite::SqliteStore& store,
                           DoorsModule& doors, const Config& config)
    : impl_(std::make_unique<Impl>(io, clock, store, doors, config)) {}
PassesModule::~PassesModule() = default;
access::PassService& PassesModule::service() { return impl_->service; }
void PassesModule::start() {
  portier::log::get("passes")->info("guest passes on; site time zone {}", impl_->zone.name());
  impl_->purge();
}

}  // namespace portier::app
