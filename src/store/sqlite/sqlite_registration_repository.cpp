#include "store/sqlite/sqlite_registration_repository.hpp"

namespace portier::store::sqlite {

Status SqliteRegistrationRepository::save(const access::RegistrationRecord& r) {
  auto q = db_.prepare(
      "INSERT OR REPLACE INTO sip_registrations (aor, binding_key, contact, instance, reg_id, q_milli, call_id, cseq, "
      "expires_at_ms, transport, source_address, source_port, user_agent) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!q) return q.error();
  q->bind(1, r.aor).bind(2, r.key).bind(3, r.contact).bind(4, r.instance).bind(5, std::int64_t{r.reg_id});
  q->bind(6, std::int64_t{r.q_milli}).bind(7, r.call_id).bind(8, std::int64_t{r.cseq});
  q->bind(9, to_unix_ms(r.expires_at)).bind(10, r.transport).bind(11, r.source_address);
  q->bind(12, std::int64_t{r.source_port}).bind(13, r.user_agent);
  return q->run();
}

Status SqliteRegistrationRepository::remove(const std::string& aor, const std::string& key) {
  auto q = db_.prepare("DELETE FROM sip_registrations WHERE aor = ? AND binding_key = ?");
  if (!q) return q.error();
  return q->bind(1, aor).bind(2, key).run();
}

Status SqliteRegistrationRepository::apply(const access::RegistrationBatch& batch) {
  if (batch.empty()) return {};
  if (auto st = db_.begin(); !st) return st;
  for (const auto& [aor, key] : batch.removes) {
    if (auto st = remove(aor, key); !st) {
      db_.rollback();
      return st;
    }
  }
  for (const auto& r : batch.saves) {
    if (auto st = save(r); !st) {
      db_.rollback();
      return st;
    }
  }
  return db_.commit();
}

Result<std::vector<access::RegistrationRecord>> SqliteRegistrationRepository::load() const {
  auto q = db_.prepare(
      "SELECT aor, binding_key, contact, instance, reg_id, q_milli, call_id, cseq, expires_at_ms, transport, "
      "source_address, source_port, user_agent FROM sip_registrations ORDER BY aor, binding_key");
  if (!q) return q.error();
  std::vector<access::RegistrationRecord> out;
  while (q->step()) {
    access::RegistrationRecord r;
    r.aor = q->column_text(0);
    r.key = q->column_text(1);
    r.contact = q->column_text(2);
    r.instance = q->column_text(3);
    r.reg_id = static_cast<std::uint32_t>(q->column_int(4));
    r.q_milli = static_cast<std::uint16_t>(q->column_int(5));
    r.call_id = q->column_text(6);
    r.cseq = static_cast<std::uint32_t>(q->column_int(7));
    r.expires_at = from_unix_ms(q->column_int(8));
    r.transport = q->column_text(9);
    r.source_address = q->column_text(10);
    r.source_port = static_cast<std::uint16_t>(q->column_int(11));
    r.user_agent = q->column_text(12);
    out.push_back(std::move(r));
  }
  if (!q->status()) return q->status().error();
  return out;
}

}  // namespace portier::store::sqlite
