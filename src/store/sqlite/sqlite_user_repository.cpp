#include "store/sqlite/sqlite_user_repository.hpp"

#include "base/error.hpp"

namespace portier::store::sqlite {
namespace {
constexpr std::string_view kColumns = "SELECT id, name, role, password_hash, created_at_ms FROM users ";

access::User read_user(Statement& q) {
  access::User u;
  u.id = q.column_int(0);
  u.name = q.column_text(1);
  u.role = access::parse_role(q.column_text(2)).value_or(access::Role::resident);
  u.password_hash = q.column_text(3);
  u.created_at = from_unix_ms(q.column_int(4));
  return u;
}
}  // namespace

Result<access::User> SqliteUserRepository::create(const std::string& name, access::Role role,
                                                  const std::string& password_hash) {
  const auto now = clock_.now();
  auto q = db_.prepare("INSERT INTO users (name, role, password_hash, created_at_ms) VALUES (?, ?, ?, ?)");
  if (!q) return q.error();
  q->bind(1, name).bind(2, access::role_name(role)).bind(3, password_hash).bind(4, to_unix_ms(now));
  if (auto st = q->run(); !st) {
    if (st.error().code == errc::already_exists) return Error(errc::already_exists, "user already exists: " + name);
    return st.error();
  }
  return access::User{db_.last_insert_rowid(), name, role, password_hash, now};
}

Result<access::User> SqliteUserRepository::create_first(const std::string& name, access::Role role,
                                                        const std::string& password_hash) {
  if (auto st = db_.begin(); !st) return st.error();
  if (count() != 0) {
    db_.rollback();
    return Error(errc::conflict, "Portier is already set up");
  }
  auto user = create(name, role, password_hash);
  if (!user) {
    db_.rollback();
    return user;
  }
  if (auto st = db_.commit(); !st) return st.error();
  return user;
}

std::optional<access::User> SqliteUserRepository::find_one(std::string_view sql,
                                                           const std::function<void(Statement&)>& bind) {
  auto q = db_.prepare(sql);
  if (!q) return std::nullopt;
  bind(*q);
  if (!q->step()) return std::nullopt;
  return read_user(*q);
}

std::optional<access::User> SqliteUserRepository::find_by_name(const std::string& name) {
  return find_one(std::string(kColumns) + "WHERE name = ?", [&](Statement& q) { q.bind(1, name); });
}

std::optional<access::User> SqliteUserRepository::find_by_id(std::int64_t id) {
  return find_one(std::string(kColumns) + "WHERE id = ?", [&](Statement& q) { q.bind(1, id); });
}

std::vector<access::User> SqliteUserRepository::list() {
  std::vector<access::User> out;
  auto q = db_.prepare(std::string(kColumns) + "ORDER BY name");
  if (!q) return out;
  while (q->step()) out.push_back(read_user(*q));
  return out;
}

Status SqliteUserRepository::update_one(std::string_view sql, std::int64_t id, std::string_view value) {
  auto q = db_.prepare(sql);
  if (!q) return q.error();
  if (auto st = q->bind(1, value).bind(2, id).run(); !st) return st;
  if (db_.changes() == 0) return Error(errc::not_found, "no such user");
  return {};
}

Status SqliteUserRepository::update_password(std::int64_t id, const std::string& password_hash) {
  return update_one("UPDATE users SET password_hash = ? WHERE id = ?", id, password_hash);
}

Status SqliteUserRepository::update_role(std::int64_t id, access::Role role) {
  return update_one("UPDATE users SET role = ? WHERE id = ?", id, access::role_name(role));
}

Status SqliteUserRepository::remove(std::int64_t id) {
  auto q = db_.prepare("DELETE FROM users WHERE id = ?");
  if (!q) return q.error();
  if (auto st = q->bind(1, id).run(); !st) return st;
  if (db_.changes() == 0) return Error(errc::not_found, "no such user");
  return {};
}

std::int64_t SqliteUserRepository::count() {
  auto q = db_.prepare("SELECT COUNT(*) FROM users");
  return q && q->step() ? q->column_int(0) : 0;
}

}  // namespace portier::store::sqlite
