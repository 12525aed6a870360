#include "access/permission_table.hpp"

#include <sstream>

namespace portier::access {

bool PermissionTable::grant(const std::string& user_id, const std::string& door_id) {
  return by_user_[user_id].insert(door_id).second;
}

bool PermissionTable::revoke(const std::string& user_id, const std::string& door_id) {
  auto it = by_user_.find(user_id);
  if (it == by_user_.end() || it->second.erase(door_id) == 0) return false;
  if (it->second.empty()) by_user_.erase(it);
  return true;
}

std::size_t PermissionTable::remove_door(std::string_view door_id) {
  std::size_t n = 0;
  for (auto it = by_user_.begin(); it != by_user_.end();) {
    if (auto d = it->second.find(door_id); d != it->second.end()) {
      it->second.erase(d);
      ++n;
    }
    it = it->second.empty() ? by_user_.erase(it) : std::next(it);
  }
  return n;
}

std::size_t PermissionTable::remove_user(std::string_view user_id) {
  auto it = by_user_.find(user_id);
  if (it == by_user_.end()) return 0;
  const auto n = it->second.size();
  by_user_.erase(it);
  return n;
}

bool PermissionTable::allows(std::string_view user_id, std::string_view door_id) const {
  auto it = by_user_.find(user_id);
  return it != by_user_.end() && it->second.find(door_id) != it->second.end();
}

std::set<std::string> PermissionTable::doors_for(std::string_view user_id) const {
  auto it = by_user_.find(user_id);
  if (it == by_user_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::vector<PermissionGrant> PermissionTable::list() const {
  std::vector<PermissionGrant> out;
  for (const auto& [user, doors] : by_user_) {
    for (const auto& door : doors) out.push_back({user, door});
  }
  return out;
}

std::size_t PermissionTable::size() const {
  std::size_t n = 0;
  for (const auto& [user, doors] : by_user_) n += doors.size();
  return n;
}

std::string PermissionTable::dump() const {
  std::ostringstream os;
  os << "PermissionTable{users=" << by_user_.size() << " grants=" << size() << "}";
  return os.str();
}

}  // namespace portier::access
