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
      // Enum-valued columns (actor_kind, method, result, type) carry no CHECK list on purpose: access adds values
      // over time, SQLite cannot change a CHECK without rebuilding the table, and the audit log is never rebuilt.
      {2, "doors: audit, permissions, event history", R"sql(
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  time_ms INTEGER NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  method TEXT NOT NULL,
  door TEXT NOT NULL,
  action TEXT NOT NULL,
  result TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash TEXT NOT NULL CHECK (length(hash) = 64)
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted');
END;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
WHEN NEW.seq IS NOT COALESCE((SELECT MAX(seq) FROM audit_log), 0) + 1
  OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1),
                                   '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
  SELECT RAISE(ABORT, 'audit_log: the row does not extend the chain');
END;

CREATE TABLE door_permissions (
  user_id TEXT NOT NULL,
  door_id TEXT NOT NULL,
  granted_at_ms INTEGER NOT NULL,
  PRIMARY KEY (user_id, door_id)
) WITHOUT ROWID;
-- Permission user ids are users.id in decimal. A deleted user's grants go with it, so that a later user who is given
-- the same id (SQLite may reuse the highest rowid) does not inherit them.
CREATE TRIGGER users_drop_permissions AFTER DELETE ON users
BEGIN
  DELETE FROM door_permissions WHERE user_id = CAST(OLD.id AS TEXT);
END;

-- AUTOINCREMENT: ids are never reused, even after purging every row, so a client resuming with after_id never
-- mistakes a new event for one it has seen.
CREATE TABLE door_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  door TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  actor TEXT NOT NULL,
  method TEXT NOT NULL,
  detail TEXT NOT NULL,
  relock_at_ms INTEGER
);
CREATE INDEX door_events_time ON door_events(time_ms);
CREATE INDEX door_events_door ON door_events(door, id);
CREATE INDEX door_events_type ON door_events(type, id);
)sql"},
      {3, "sip: extensions and registrations", R"sql(
CREATE TABLE sip_extensions (
  number TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  secret TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE TABLE sip_registrations (
  aor TEXT NOT NULL,
  binding_key TEXT NOT NULL,
  contact TEXT NOT NULL,
  instance TEXT NOT NULL,
  reg_id INTEGER NOT NULL,
  q_milli INTEGER NOT NULL,
  call_id TEXT NOT NULL,
  cseq INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  transport TEXT NOT NULL,
  source_address TEXT NOT NULL,
  source_port INTEGER NOT NULL,
  user_agent TEXT NOT NULL,
  PRIMARY KEY (aor, binding_key)
);
)sql"},
      // doors: one door id per line; schedule: "days:from-to" windows joined by ';' (days a bit set, Monday = 1).
      {4, "guest passes", R"sql(
CREATE TABLE guest_passes (
  id INTEGER PRIMARY KEY,
  label TEXT NOT NULL,
  doors TEXT NOT NULL,
  valid_from_ms INTEGER NOT NULL,
  valid_until_ms INTEGER NOT NULL,
  schedule TEXT NOT NULL,
  max_uses INTEGER,
  uses INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0),
  pin_hash TEXT NOT NULL,
  note TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_by_name TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  revoked_at_ms INTEGER,
  last_used_at_ms INTEGER,
  token_hash TEXT NOT NULL UNIQUE,
  pin_failures INTEGER NOT NULL DEFAULT 0,
  pin_locked_until_ms INTEGER
);
CREATE INDEX guest_passes_until ON guest_passes(valid_until_ms);
)sql"},
      {5, "mqtt: network devices", R"sql(
CREATE TABLE network_devices (
  name TEXT PRIMARY KEY,
  protocol TEXT NOT NULL,
  broker_password_hash TEXT NOT NULL,
  command_key TEXT NOT NULL,
  login_hash TEXT NOT NULL,
  counter_reserved INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
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
