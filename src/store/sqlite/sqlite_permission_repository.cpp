#include "store/sqlite/sqlite_permission_repository.hpp"

#include "base/error.hpp"

namespace portier::store::sqlite {

Result<std::set<std::string>> SqlitePermissionRepository::doors_for_user(const std::string& user_id) const {
  auto q = db_.prepare("SELECT door_id FROM door_permissions WHERE user_id = ? ORDER BY door_id");
  if (!q) return q.error();
  q->bind(1, user_id);
  std::set<std::string> out;
  while (q->step()) out.insert(q->column_text(0));
  if (!q->status()) return q->status().error();
  return out;
}

Status SqlitePermissionRepository::grant(const std::string& user_id, const std::string& door_id) {
  if (user_id.empty() || door_id.empty()) return Error(errc::invalid_argument, "grant needs a user and a door");
  // DO NOTHING keeps the first grant's time: granting twice is not an error and changes nothing.
  auto q = db_.prepare(
      "INSERT INTO door_permissions (user_id, door_id, granted_at_ms) VALUES (?, ?, ?) "
      "ON CONFLICT (user_id, door_id) DO NOTHING");
  if (!q) return q.error();
  return q->bind(1, user_id).bind(2, door_id).bind(3, to_unix_ms(clock_.now())).run();
}

Status SqlitePermissionRepository::revoke(const std::string& user_id, const std::string& door_id) {
  auto q = db_.prepare("DELETE FROM door_permissions WHERE user_id = ? AND door_id = ?");
  if (!q) return q.error();
  return q->bind(1, user_id).bind(2, door_id).run();
}

Result<std::vector<access::PermissionGrant>> SqlitePermissionRepository::list() const {
  auto q = db_.prepare("SELECT user_id, door_id FROM door_permissions ORDER BY user_id, door_id");
  if (!q) return q.error();
  std::vector<access::PermissionGrant> out;
  while (q->step()) out.push_back(access::PermissionGrant{q->column_text(0), q->column_text(1)});
  if (!q->status()) return q->status().error();
  return out;
}

std::string SqlitePermissionRepository::dump() const {
  return "SqlitePermissionRepository{file=" + db_.path().string() + "}";
}

}  // namespace portier::store::sqlite
