#include "store/sqlite/sqlite_audit_repository.hpp"

#include <algorithm>
#include <limits>
#include <sstream>

#include "base/error.hpp"

namespace portier::store::sqlite {
namespace {

constexpr std::string_view kSelect =
    "SELECT seq, time_ms, actor_kind, actor_id, actor_name, method, door, action, result, detail, prev_hash, hash "
    "FROM audit_log ";

Error unreadable(std::int64_t seq, const Error& why) {
  return Error(errc::io_error, "audit row " + std::to_string(seq) + " is unreadable (edited outside Portier?): " +
                                   why.what());
}

Result<access::AuditRecord> read_record(const Statement& q) {
  access::AuditRecord r;
  const std::int64_t seq = q.column_int(0);
  r.seq = static_cast<std::uint64_t>(seq);
  r.time_ms = q.column_int(1);
  auto kind = access::parse_actor_kind(q.column_text(2));
  if (!kind) return unreadable(seq, kind.error());
  auto method = access::parse_access_method(q.column_text(5));
  if (!method) return unreadable(seq, method.error());
  auto result = access::parse_audit_result(q.column_text(8));
  if (!result) return unreadable(seq, result.error());
  r.entry.actor_kind = *kind;
  r.entry.actor_id = q.column_text(3);
  r.entry.actor_name = q.column_text(4);
  r.entry.method = *method;
  r.entry.door = q.column_text(6);
  r.entry.action = q.column_text(7);
  r.entry.result = *result;
  r.entry.detail = q.column_text(9);
  r.prev_hash = q.column_text(10);
  r.hash = q.column_text(11);
  return r;
}

}  // namespace

Status SqliteAuditRepository::append(const access::AuditRecord& record) {
  if (auto st = db_.begin(); !st) return st;
  auto current = head();
  if (!current) {
    db_.rollback();
    return current.error();
  }
  if (record.seq != current->seq + 1 || record.prev_hash != current->hash) {
    db_.rollback();
    ++refused_;
    return Error(errc::conflict, "audit row " + std::to_string(record.seq) + " does not extend the chain (head is " +
                                     std::to_string(current->seq) + ")");
  }
  if (auto st = insert(record); !st) {
    db_.rollback();
    return st;
  }
  if (auto st = db_.commit(); !st) {
    db_.rollback();  // a failed COMMIT may leave the transaction open
    return st;
  }
  ++appended_;
  return {};
}

Status SqliteAuditRepository::insert(const access::AuditRecord& r) {
  auto q = db_.prepare(
      "INSERT INTO audit_log (seq, time_ms, actor_kind, actor_id, actor_name, method, door, action, result, detail, "
      "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!q) return q.error();
  q->bind(1, static_cast<std::int64_t>(r.seq))
      .bind(2, r.time_ms)
      .bind(3, access::to_string(r.entry.actor_kind))
      .bind(4, r.entry.actor_id)
      .bind(5, r.entry.actor_name)
      .bind(6, access::to_string(r.entry.method))
      .bind(7, r.entry.door)
      .bind(8, r.entry.action)
      .bind(9, access::to_string(r.entry.result))
      .bind(10, r.entry.detail)
      .bind(11, r.prev_hash)
      .bind(12, r.hash);
  return q->run();
}

Result<std::vector<access::AuditRecord>> SqliteAuditRepository::read(std::uint64_t after_seq,
                                                                      std::size_t limit) const {
  std::vector<access::AuditRecord> out;
  if (limit == 0) return out;
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  auto q = db_.prepare(std::string(kSelect) + "WHERE seq > ? ORDER BY seq LIMIT ?");
  if (!q) return q.error();
  q->bind(1, static_cast<std::int64_t>(std::min<std::uint64_t>(after_seq, kMax)))
      .bind(2, static_cast<std::int64_t>(std::min<std::uint64_t>(limit, kMax)));
  while (q->step()) {
    auto r = read_record(*q);
    if (!r) return r.error();
    out.push_back(std::move(*r));
  }
  if (!q->status()) return q->status().error();
  return out;
}

Result<access::AuditHead> SqliteAuditRepository::head() const {
  auto q = db_.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!q) return q.error();
  if (!q->step()) {
    if (!q->status()) return q->status().error();
    return access::AuditHead{};
  }
  return access::AuditHead{static_cast<std::uint64_t>(q->column_int(0)), q->column_text(1)};
}

std::string SqliteAuditRepository::dump() const {
  std::ostringstream os;
  os << "SqliteAuditRepository{file=" << db_.path().string() << " appended=" << appended_ << " refused=" << refused_
     << "}";
  return os.str();
}

}  // namespace portier::store::sqlite
