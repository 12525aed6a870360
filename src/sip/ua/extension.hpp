#pragma once
// An extension as the SIP layer needs it: who may register under which number, and with what secret.
#include <optional>
#include <string>
#include <string_view>

namespace portier::sip::ua {

enum class Role { resident, door, ata, trunk_peer };

std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view name);

struct Extension {
  std::string number;        // the SIP user part and digest username, e.g. "101" or "door"
  std::string display_name;
  std::string password;      // digest secret (digest needs the clear secret or per-realm HA1s)
  Role role = Role::resident;
};

}  // namespace portier::sip::ua
