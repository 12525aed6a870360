#include "app/persisted_bindings.hpp"

#include <fmt/format.h>

#include "base/log.hpp"

namespace portier::app {

std::string transport_name(sip::txn::Protocol p) {
  switch (p) {
    case sip::txn::Protocol::udp: return "udp";
    case sip::txn::Protocol::tcp: return "tcp";
    case sip::txn::Protocol::tls: return "tls";
  }
  return "udp";
}

access::RegistrationRecord to_record(const sip::ua::Binding& b) {
  return access::RegistrationRecord{b.aor,        b.key(),        b.contact,    b.instance,
                                    b.reg_id,     b.q_milli,      b.call_id,    b.cseq,
                                    b.expires_at, transport_name(b.source.protocol), b.source.address,
                                    b.source.port, b.user_agent};
}

sip::ua::Binding to_binding(const access::RegistrationRecord& r) {
  sip::ua::Binding b;
  b.aor = r.aor;
  b.contact = r.contact;
  b.instance = r.instance;
  b.reg_id = r.reg_id;
  b.q_milli = r.q_milli;
  b.call_id = r.call_id;
  b.cseq = r.cseq;
  b.expires_at = r.expires_at;
  b.source.protocol = r.transport == "tls"   ? sip::txn::Protocol::tls
                      : r.transport == "tcp" ? sip::txn::Protocol::tcp
                                             : sip::txn::Protocol::udp;
  b.source.address = r.source_address;
  b.source.port = r.source_port;
  b.user_agent = r.user_agent;
  return b;
}

PersistedBindings::PersistedBindings(boost::asio::io_context& io, access::RegistrationRepository& repo,
                                     std::chrono::milliseconds flush_delay)
    : timer_(io), repo_(repo), flush_delay_(flush_delay), log_(portier::log::get("sip")) {}

PersistedBindings::~PersistedBindings() { flush(); }

void PersistedBindings::save(const sip::ua::Binding& b) {
  auto record = to_record(b);
  Key key{record.aor, record.key};
  pending_.insert_or_assign(std::move(key), std::move(record));
  schedule();
}

void PersistedBindings::remove(const sip::ua::Binding& b) {
  pending_.insert_or_assign(Key{b.aor, b.key()}, std::nullopt);
  schedule();
}

std::vector<sip::ua::Binding> PersistedBindings::load() {
  flush();
  std::vector<sip::ua::Binding> out;
  auto rows = repo_.load();
  if (!rows) {
    log_->error("loading registrations: {}", rows.error().what());
    return out;
  }
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(to_binding(r));
  return out;
}

void PersistedBindings::schedule() {
  if (scheduled_) return;
  scheduled_ = true;
  timer_.expires_after(flush_delay_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: the destructor flushes
    scheduled_ = false;
    flush();
  });
}

void PersistedBindings::flush() {
  if (pending_.empty()) return;
  access::RegistrationBatch batch;
  for (auto& [key, record] : pending_) {
    if (record)
      batch.saves.push_back(*record);
    else
      batch.removes.push_back(key);
  }
  if (auto st = repo_.apply(batch); !st) {
    ++failures_;
    log_->error("saving {} registration changes: {}", pending_.size(), st.error().what());
    if (!scheduled_) schedule();  // try again later; newer changes keep replacing older ones meanwhile
    return;
  }
  ++commits_;
  pending_.clear();
}

std::string PersistedBindings::dump() const {
  return fmt::format("PersistedBindings{{pending={} commits={} failures={} delay={}ms}}", pending_.size(), commits_,
                     failures_, flush_delay_.count());
}

}  // namespace portier::app
