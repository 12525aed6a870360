#include "store/sqlite/sqlite_token_repository.hpp"

#include "base/error.hpp"

namespace portier::store::sqlite {
namespace {
constexpr std::string_view kColumns =
    "SELECT id, user_id, label, token_hash, created_at_ms, last_used_at_ms FROM api_tokens ";

access::ApiToken read_token(Statement& q) {
  access::ApiToken t;
  t.id = q.column_int(0);
  t.user_id = q.column_int(1);
  t.label = q.column_text(2);
  t.token_hash = q.column_text(3);
  t.created_at = from_unix_ms(q.column_int(4));
  if (!q.column_is_null(5)) t.last_used_at = from_unix_ms(q.column_int(5));
  return t;
}
}  // namespace

Result<access::ApiToken> SqliteTokenRepository::create(std::int64_t user_id, const std::string& label,
                                                       const std::string& token_hash) {
  const auto now = clock_.now();
  auto q = db_.prepare("INSERT INTO api_tokens (user_id, label, token_hash, created_at_ms) VALUES (?, ?, ?, ?)");
  if (!q) return q.error();
  if (auto st = q->bind(1, user_id).bind(2, label).bind(3, token_hash).bind(4, to_unix_ms(now)).run(); !st)
    return st.error();
  return access::ApiToken{db_.last_insert_rowid(), user_id, label, token_hash, now, std::nullopt};
}

std::optional<access::ApiToken> SqliteTokenRepository::find_by_hash(const std::string& token_hash) {
  auto q = db_.prepare(std::string(kColumns) + "WHERE token_hash = ?");
  if (!q) return std::nullopt;
  q->bind(1, token_hash);
  if (!q->step()) return std::nullopt;
  return read_token(*q);
}

std::vector<access::ApiToken> SqliteTokenRepository::list_for_user(std::int64_t user_id) {
  std::vector<access::ApiToken> out;
  auto q = db_.prepare(std::string(kColumns) + "WHERE user_id = ? ORDER BY id");
  if (!q) return out;
  q->bind(1, user_id);
  while (q->step()) out.push_back(read_token(*q));
  return out;
}

Status SqliteTokenRepository::touch(std::int64_t id, Clock::SystemTime when) {
  auto q = db_.prepare("UPDATE api_tokens SET last_used_at_ms = ? WHERE id = ?");
  if (!q) return q.error();
  return q->bind(1, to_unix_ms(when)).bind(2, id).run();
}

Status SqliteTokenRepository::revoke(std::int64_t user_id, std::int64_t id) {
  auto q = db_.prepare("DELETE FROM api_tokens WHERE id = ? AND user_id = ?");
  if (!q) return q.error();
  if (auto st = q->bind(1, id).bind(2, user_id).run(); !st) return st;
  if (db_.changes() == 0) return Error(errc::not_found, "no such token");
  return {};
}

}  // namespace portier::store::sqlite
