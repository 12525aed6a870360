#pragma once
// Port: where per-user door permissions are kept (store/sqlite implements it; MemoryPermissionRepository for tests).
#include <set>
#include <string>
#include <vector>

#include "access/permission_table.hpp"
#include "base/result.hpp"

namespace portier::access {

class PermissionRepository {
 public:
  virtual ~PermissionRepository() = default;
  virtual Result<std::set<std::string>> doors_for_user(const std::string& user_id) const = 0;
  // Idempotent: granting twice or revoking what is not granted is not an error.
  virtual Status grant(const std::string& user_id, const std::string& door_id) = 0;
  virtual Status revoke(const std::string& user_id, const std::string& door_id) = 0;
  virtual Result<std::vector<PermissionGrant>> list() const = 0;
};

}  // namespace portier::access
