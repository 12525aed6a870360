#include "access/permission_repository_memory.hpp"

namespace portier::access {

Result<std::set<std::string>> MemoryPermissionRepository::doors_for_user(const std::string& user_id) const {
  if (fail_) return *fail_;
  return table_.doors_for(user_id);
}

Status MemoryPermissionRepository::grant(const std::string& user_id, const std::string& door_id) {
  if (fail_) return *fail_;
  table_.grant(user_id, door_id);
  return {};
}

Status MemoryPermissionRepository::revoke(const std::string& user_id, const std::string& door_id) {
  if (fail_) return *fail_;
  table_.revoke(user_id, door_id);
  return {};
}

Result<std::vector<PermissionGrant>> MemoryPermissionRepository::list() const {
  if (fail_) return *fail_;
  return table_.list();
}

std::string MemoryPermissionRepository::dump() const {
  return "MemoryPermissionRepository{" + table_.dump() + " failing=" + (fail_ ? "1" : "0") + "}";
}

}  // namespace portier::access
