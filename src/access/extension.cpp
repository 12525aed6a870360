#include "access/extension.hpp"

namespace portier::access {

std::string_view to_string(ExtensionRole role) {
  switch (role) {
    case ExtensionRole::resident: return "resident";
    case ExtensionRole::door: return "door";
    case ExtensionRole::ata: return "ata";
    case ExtensionRole::trunk_peer: return "trunk-peer";
  }
  return "resident";
}

std::optional<ExtensionRole> parse_extension_role(std::string_view text) {
  for (auto r : {ExtensionRole::resident, ExtensionRole::door, ExtensionRole::ata, ExtensionRole::trunk_peer})
    if (text == to_string(r)) return r;
  return std::nullopt;
}

bool valid_extension_number(std::string_view number) {
  if (number.empty() || number.size() > 32) return false;
  for (char c : number) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace portier::access
