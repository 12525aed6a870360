#include "access/user.hpp"

namespace portier::access {

std::string_view role_name(Role r) { return r == Role::admin ? "admin" : "resident"; }

std::optional<Role> parse_role(std::string_view text) {
  if (text == "admin") return Role::admin;
  if (text == "resident") return Role::resident;
  return std::nullopt;
}

bool valid_username(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace portier::access
