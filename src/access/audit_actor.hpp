#pragma once
// Who acts on a door and how they reached us: the "who" and "how" of every audit row and permission check. The API,
// CLI, DTMF and guest-pass layers build an Actor from whatever credential they verified.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace portier::access {

enum class ActorKind { user, token, pass, dtmf, system };
enum class AccessMethod { web, api, cli, dtmf, pass, mqtt, button, internal };

std::string_view to_string(ActorKind kind);
std::string_view to_string(AccessMethod method);
Result<ActorKind> parse_actor_kind(std::string_view text);
Result<AccessMethod> parse_access_method(std::string_view text);

struct Actor {
  ActorKind kind = ActorKind::user;
  std::string id;        // user id, token id, pass id, caller extension; "" for system
  std::string name;      // display name at the time of the action (audit rows keep it even if renamed later)
  std::string user_id;   // the user acted for: the user itself, a token's owner; "" for passes, DTMF, system
  bool admin = false;    // admins may open every door
  std::vector<std::string> scope;  // doors a pass / DTMF code / scoped token is limited to; empty: no limit

  static Actor user(std::string id, std::string name, bool admin = false);
  static Actor system(std::string name);
};

}  // namespace portier::access
