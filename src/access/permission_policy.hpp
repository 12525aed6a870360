#pragma once
// Who may open which door:
//   - system actors and admins: every door;
//   - users and tokens: the doors granted to their user_id;
//   - passes and DTMF codes without a user: exactly the doors in their scope;
//   - a non-empty scope always narrows the answer further (a scoped token, a single-door pass).
#include <string>
#include <string_view>
#include <vector>

#include "access/audit_actor.hpp"
#include "access/permission_repository.hpp"
#include "base/result.hpp"

namespace portier::access {

class PermissionPolicy {
 public:
  // `repository` must outlive this object.
  explicit PermissionPolicy(const PermissionRepository& repository) : repository_(repository) {}

  // An Error only when the repository cannot answer.
  Result<bool> allows(const Actor& actor, std::string_view door_id) const;
  // The subset of `door_ids` the actor may open, in the given order.
  Result<std::vector<std::string>> permitted(const Actor& actor, const std::vector<std::string>& door_ids) const;

 private:
  static bool in_scope(const Actor& actor, std::string_view door_id);

  const PermissionRepository& repository_;
};

}  // namespace portier::access
