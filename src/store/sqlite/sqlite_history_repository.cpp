#include "store/sqlite/sqlite_history_repository.hpp"

#include <algorithm>
#include <variant>

#include "base/error.hpp"

namespace portier::store::sqlite {
namespace {

using Value = std::variant<std::int64_t, std::string>;

// The WHERE/ORDER/LIMIT tail of a history query and the values for its placeholders, in order.
struct Filter {
  std::string sql;
  std::vector<Value> values;

  void add(std::string_view condition, Value value) {
    sql += sql.empty() ? "WHERE " : " AND ";
    sql += condition;
    values.push_back(std::move(value));
  }
};

Filter build_filter(const access::HistoryQuery& q) {
  Filter f;
  if (q.after_id) f.add("id > ?", *q.after_id);
  if (q.before_id) f.add("id < ?", *q.before_id);
  if (q.door) f.add("door = ?", *q.door);
  if (q.since) f.add("time_ms >= ?", to_unix_ms(*q.since));
  if (q.until) f.add("time_ms < ?", to_unix_ms(*q.until));
  std::vector<std::string> types;
  for (auto t : q.types) types.emplace_back(access::to_string(t));
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  if (!types.empty()) {
    std::string in = "type IN (?";
    for (std::size_t i = 1; i < types.size(); ++i) in += ", ?";
    in += ")";
    f.add(in, types.front());
    for (std::size_t i = 1; i < types.size(); ++i) f.values.emplace_back(types[i]);
  }
  // Resume reads forward so that a client applies events in order; paging reads backwards from the newest.
  f.sql += q.after_id ? " ORDER BY id ASC" : " ORDER BY id DESC";
  f.sql += " LIMIT ?";
  f.values.emplace_back(static_cast<std::int64_t>(q.limit));
  return f;
}

Result<access::StoredEvent> read_event(const Statement& q) {
  access::StoredEvent s;
  s.id = q.column_int(0);
  auto type = access::parse_event_type(q.column_text(1));
  if (!type) return Error(errc::io_error, "event " + std::to_string(s.id) + " is unreadable: " + type.error().what());
  s.event.type = *type;
  s.event.door = q.column_text(2);
  s.event.time = from_unix_ms(q.column_int(3));
  s.event.actor = q.column_text(4);
  s.event.method = q.column_text(5);
  s.event.detail = q.column_text(6);
  if (!q.column_is_null(7)) s.event.relock_at = from_unix_ms(q.column_int(7));
  return s;
}

}  // namespace

Result<std::int64_t> SqliteHistoryRepository::append(const access::Event& e) {
  auto q = db_.prepare(
      "INSERT INTO door_events (type, door, time_ms, actor, method, detail, relock_at_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!q) return q.error();
  q->bind(1, access::to_string(e.type))
      .bind(2, e.door)
      .bind(3, to_unix_ms(e.time))
      .bind(4, e.actor)
      .bind(5, e.method)
      .bind(6, e.detail);
  if (e.relock_at) {
    q->bind(7, to_unix_ms(*e.relock_at));
  } else {
    q->bind(7, std::nullopt);
  }
  if (auto st = q->run(); !st) return st.error();
  return db_.last_insert_rowid();
}

Result<std::vector<access::StoredEvent>> SqliteHistoryRepository::query(const access::HistoryQuery& hq) const {
  if (hq.limit < 1 || hq.limit > kMaxLimit) {
    return Error(errc::invalid_argument, "history limit must be 1.." + std::to_string(kMaxLimit));
  }
  const Filter f = build_filter(hq);
  auto q = db_.prepare("SELECT id, type, door, time_ms, actor, method, detail, relock_at_ms FROM door_events " +
                       f.sql);
  if (!q) return q.error();
  int index = 1;
  for (const auto& v : f.values) {
    std::visit([&](const auto& x) { q->bind(index, x); }, v);
    ++index;
  }
  std::vector<access::StoredEvent> out;
  while (q->step()) {
    auto s = read_event(*q);
    if (!s) return s.error();
    out.push_back(std::move(*s));
  }
  if (!q->status()) return q->status().error();
  return out;
}

Result<std::int64_t> SqliteHistoryRepository::last_id() const {
  // sqlite_sequence remembers the highest id ever handed out; MAX(id) covers a table it does not list yet.
  auto q = db_.prepare(
      "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'door_events'), 0), "
      "COALESCE((SELECT MAX(id) FROM door_events), 0))");
  if (!q) return q.error();
  if (!q->step()) return q->status() ? Result<std::int64_t>(std::int64_t{0}) : q->status().error();
  return q->column_int(0);
}

Result<std::int64_t> SqliteHistoryRepository::purge_before(Clock::SystemTime cutoff) {
  auto q = db_.prepare("DELETE FROM door_events WHERE time_ms < ?");
  if (!q) return q.error();
  if (auto st = q->bind(1, to_unix_ms(cutoff)).run(); !st) return st.error();
  return static_cast<std::int64_t>(db_.changes());
}

std::string SqliteHistoryRepository::dump() const {
  return "SqliteHistoryRepository{file=" + db_.path().string() + "}";
}

}  // namespace portier::store::sqlite
