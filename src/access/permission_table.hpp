#pragma once
// Per-user door permissions as a value: user id -> set of door ids (breakonthru's per-password door digits, as a
// table). Admins are not listed here: they may open every door (permission_policy.hpp).
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace portier::access {

struct PermissionGrant {
  std::string user_id;
  std::string door_id;
  bool operator==(const PermissionGrant&) const = default;
};

class PermissionTable {
 public:
  // Returns false when it was already there / not there.
  bool grant(const std::string& user_id, const std::string& door_id);
  bool revoke(const std::string& user_id, const std::string& door_id);
  // Drops every grant of a door (door removed) or of a user (user deleted); returns how many went.
  std::size_t remove_door(std::string_view door_id);
  std::size_t remove_user(std::string_view user_id);

  bool allows(std::string_view user_id, std::string_view door_id) const;
  std::set<std::string> doors_for(std::string_view user_id) const;
  std::vector<PermissionGrant> list() const;  // sorted by user, then door
  std::size_t size() const;
  std::string dump() const;

 private:
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> by_user_;
};

}  // namespace portier::access
