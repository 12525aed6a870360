#pragma once
// The SIP server, wired: extensions from the store, registrations persisted in the store, registration events on the
// event stream, and the view the API shows. Owned by Server; absent when sip.listen is empty.
#include <memory>

#include "api/event_stream.hpp"
#include "api/sip_status.hpp"
#include "app/config.hpp"
#include "base/clock.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace boost::asio {
class io_context;
}

namespace portier::sip::ua {
class SipServer;
}

namespace portier::app {

class SipModule {
 public:
  // Throws std::runtime_error when a listener cannot be opened (port in use, bad TLS files).
  SipModule(boost::asio::io_context& io, const Clock& clock, store::sqlite::SqliteStore& store,
            api::EventStream& events, const Config& config);
  ~SipModule();
  void start();
  api::SipStatus& status();
  sip::ua::SipServer& server();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portier::app
