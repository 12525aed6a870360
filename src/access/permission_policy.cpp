#include "access/permission_policy.hpp"

#include <algorithm>

namespace portier::access {

bool PermissionPolicy::in_scope(const Actor& actor, std::string_view door_id) {
  return actor.scope.empty() || std::find(actor.scope.begin(), actor.scope.end(), door_id) != actor.scope.end();
}

Result<bool> PermissionPolicy::allows(const Actor& actor, std::string_view door_id) const {
  if (!in_scope(actor, door_id)) return false;
  if (actor.kind == ActorKind::system || actor.admin) return true;
  if (actor.user_id.empty()) {
    // Passes and DTMF codes carry their doors in the scope; without one they open nothing.
    return (actor.kind == ActorKind::pass || actor.kind == ActorKind::dtmf) && !actor.scope.empty();
  }
  auto doors = repository_.doors_for_user(actor.user_id);
  if (!doors) return doors.error();
  return doors->count(std::string(door_id)) > 0;
}

Result<std::vector<std::string>> PermissionPolicy::permitted(const Actor& actor,
                                                             const std::vector<std::string>& door_ids) const {
  std::vector<std::string> out;
  for (const auto& id : door_ids) {
    auto ok = allows(actor, id);
    if (!ok) return ok.error();
    if (*ok) out.push_back(id);
  }
  return out;
}

}  // namespace portier::access
