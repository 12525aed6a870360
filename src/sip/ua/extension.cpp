#include "sip/ua/extension.hpp"

namespace portier::sip::ua {

std::string_view role_name(Role r) {
  switch (r) {
    case Role::resident: return "resident";
    case Role::door: return "door";
    case Role::ata: return "ata";
    case Role::trunk_peer: return "trunk-peer";
  }
  return "resident";
}

std::optional<Role> parse_role(std::string_view name) {
  for (auto r : {Role::resident, Role::door, Role::ata, Role::trunk_peer}) {
    if (role_name(r) == name) return r;
  }
  return std::nullopt;
}

}  // namespace portier::sip::ua
