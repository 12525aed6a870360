#pragma once
// PermissionRepository on SQLite (table door_permissions, migration 2). User ids are users.id in decimal: deleting a
// user drops its grants (trigger users_drop_permissions). Door ids come from config and are not checked here.
#include <string>

#include "access/permission_repository.hpp"
#include "base/clock.hpp"
#include "store/sqlite/database.hpp"

namespace portier::store::sqlite {

class SqlitePermissionRepository final : public access::PermissionRepository {
 public:
  // `db` and `clock` must outlive this object (SqliteStore owns the database; app owns the clock).
  SqlitePermissionRepository(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<std::set<std::string>> doors_for_user(const std::string& user_id) const override;
  Status grant(const std::string& user_id, const std::string& door_id) override;
  Status revoke(const std::string& user_id, const std::string& door_id) override;
  // Sorted by user, then door (byte order, as PermissionTable::list).
  Result<std::vector<access::PermissionGrant>> list() const override;
  std::string dump() const;

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace portier::store::sqlite
