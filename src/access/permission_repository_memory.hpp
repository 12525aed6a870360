#pragma once
// PermissionRepository in memory, for tests and demos.
#include <optional>
#include <string>

#include "access/permission_repository.hpp"

namespace portier::access {

class MemoryPermissionRepository final : public PermissionRepository {
 public:
  Result<std::set<std::string>> doors_for_user(const std::string& user_id) const override;
  Status grant(const std::string& user_id, const std::string& door_id) override;
  Status revoke(const std::string& user_id, const std::string& door_id) override;
  Result<std::vector<PermissionGrant>> list() const override;

  PermissionTable& table() { return table_; }
  // Every call fails with this error until cleared (a store that is down).
  void fail_with(std::optional<Error> error) { fail_ = std::move(error); }
  std::string dump() const;

 private:
  PermissionTable table_;
  std::optional<Error> fail_;
};

}  // namespace portier::access
