#pragma once
// sip::ua::BindingStore over the access::RegistrationRepository, written behind: the registrar's saves and removes
// are coalesced per binding (aor + key) and written in one transaction `flush_delay` after the first pending change
// (and at destruction), so a burst of REGISTERs costs one commit instead of one fsync each. A crash loses at most
// the last `flush_delay` of refreshes; the phones' next REGISTER restores them. Owned by the SIP module; runs on the
// io_context thread only.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "access/registration_repository.hpp"
#include "sip/ua/binding_store.hpp"

namespace spdlog {
class logger;
}

namespace portier::app {

class PersistedBindings final : public sip::ua::BindingStore {
 public:
  PersistedBindings(boost::asio::io_context& io, access::RegistrationRepository& repo,
                    std::chrono::milliseconds flush_delay = std::chrono::milliseconds(200));
  ~PersistedBindings() override;  // flushes what is pending
  PersistedBindings(const PersistedBindings&) = delete;
  PersistedBindings& operator=(const PersistedBindings&) = delete;

  void save(const sip::ua::Binding& b) override;
  void remove(const sip::ua::Binding& b) override;
  std::vector<sip::ua::Binding> load() override;

  // Writes the pending changes now (one transaction). On failure they stay pending for the next flush.
  void flush();
  std::size_t pending() const { return pending_.size(); }
  std::uint64_t commits() const { return commits_; }
  std::string dump() const;

 private:
  void schedule();

  using Key = std::pair<std::string, std::string>;  // aor, binding key
  boost::asio::steady_timer timer_;
  access::RegistrationRepository& repo_;
  std::chrono::milliseconds flush_delay_;
  std::map<Key, std::optional<access::RegistrationRecord>> pending_;  // nullopt = remove
  bool scheduled_ = false;
  std::uint64_t commits_ = 0;
  std::uint64_t failures_ = 0;
  std::shared_ptr<spdlog::logger> log_;
};

// "udp" | "tcp" | "tls", as stored and shown by the API.
std::string transport_name(sip::txn::Protocol p);
// The mapping both ways (exposed for tests).
access::RegistrationRecord to_record(const sip::ua::Binding& b);
sip::ua::Binding to_binding(const access::RegistrationRecord& r);

}  // namespace portier::app
