#pragma once
// A phone line of Portier's own PBX: a number that SIP phones, door stations and ATAs register with. The secret is
// kept in clear because SIP digest authentication needs it (or per-realm hashes that break when sip.domain changes);
// the database lives in a 0700 data directory.
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"

namespace portier::access {

enum class ExtensionRole { resident, door, ata, trunk_peer };

std::string_view to_string(ExtensionRole role);
std::optional<ExtensionRole> parse_extension_role(std::string_view text);

struct Extension {
  std::string number;        // SIP user part: 1-32 of [A-Za-z0-9._-]
  std::string display_name;
  std::string secret;
  ExtensionRole role = ExtensionRole::resident;
  Clock::SystemTime created_at{};
};

bool valid_extension_number(std::string_view number);

}  // namespace portier::access
