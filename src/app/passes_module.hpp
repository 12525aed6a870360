#pragma once
// Guest passes, wired: the site time zone, the PassService on the SQLite repository and the doors, and a timer that
// purges passes long past their end (hourly, and once at start). Owned by Server; absent when guest_passes.enabled
// is false.
#include <memory>

#include "access/pass_service.hpp"
#include "app/config.hpp"
#include "app/doors_module.hpp"
#include "base/clock.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace boost::asio {
class io_context;
}

namespace portier::app {

class PassesModule {
 public:
  // Throws std::runtime_error for an unknown time zone (config validation catches that first).
  PassesModule(boost::asio::io_context& io, const Clock& clock, store::sqlite::SqliteStore& store, DoorsModule& doors,
               const Config& config);
  ~PassesModule();
  access::PassService& service();
  void start();  // first purge, then hourly

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

access::PassOptions pass_options(const GuestPassConfig& c);

}  // namespace portier::app
