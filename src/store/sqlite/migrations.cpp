#include "store/sqlite/migrations.hpp"

#include <string>

#include "base/error.hpp"

namespace portier::store::sqlite {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1, "users and api tokens", R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'resident')),
  password_hash TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at_ms INTEGER NOT NULL,
  last_used_at_ms INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
)sql"},
  };
  return all;
}

Result<int> migrate(Database& db, const std::vector<Migration>& all) {
  if (auto st = db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, name TEXT NOT NULL, "
                        "applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)");
      !st)
    return st.error();
  auto q = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!q) return q.error();
  int current = q->step() ? static_cast<int>(q->column_int(0)) : 0;
  const int latest = all.empty() ? 0 : all.back().version;
  if (current > latest) {
    return Error(errc::conflict, "database schema version " + std::to_string(current) +
                                     " is newer than this Portier understands (" + std::to_string(latest) + ")");
  }
  for (const auto& m : all) {
    if (m.version <= current) continue;
    if (auto st = db.begin(); !st) return st.error();
    Status st = db.exec(m.sql);
    if (st) {
      auto ins = db.prepare("INSERT INTO schema_version (version, name) VALUES (?, ?)");
      st = ins ? ins->bind(1, static_cast<std::int64_t>(m.version)).bind(2, m.name).run() : Status(ins.error());
    }
    if (!st) {
      db.rollback();
      return Error(st.error().code, "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                                        ") failed: " + st.error().what());
    }
    if (auto c = db.commit(); !c) return c.error();
    current = m.version;
  }
  return current;
}

}  // namespace portier::store::sqlite
