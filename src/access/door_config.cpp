#include "access/door_config.hpp"

#include <map>

#include "base/error.hpp"

namespace portier::access {

std::string_view to_string(DoorMode mode) {
  switch (mode) {
    case DoorMode::pulse: return "pulse";
    case DoorMode::hold: return "hold";
    case DoorMode::lock: return "lock";
  }
  return "pulse";
}

Result<DoorMode> parse_door_mode(std::string_view text) {
  if (text == "pulse") return DoorMode::pulse;
  if (text == "hold") return DoorMode::hold;
  if (text == "lock") return DoorMode::lock;
  return Error(errc::invalid_argument, "unknown door mode '" + std::string(text) + "' (pulse, hold or lock)");
}

bool valid_door_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

namespace {

Error bad(const DoorConfig& d, const std::string& what) {
  return Error(errc::invalid_argument, "door '" + d.id + "': " + what);
}

}  // namespace

Status validate(const DoorConfig& d) {
  if (!valid_door_id(d.id)) return Error(errc::invalid_argument, "door id '" + d.id + "' must be 1-64 of A-Z a-z 0-9 _ -");
  if (d.relay.empty()) return bad(d, "relay line is required");
  if (d.mode == DoorMode::pulse && (d.hold.count() <= 0 || d.hold > kMaxHold)) {
    return bad(d, "hold must be between 1 ms and 1 hour");
  }
  if (d.contact_bouncetime.count() < 0 || d.contact_bouncetime > kMaxBouncetime) {
    return bad(d, "contact bouncetime must be between 0 and 1000 ms");
  }
  if (d.left_open_after.count() < 0) return bad(d, "left_open_after must not be negative");
  if (d.button_bouncetime.count() < 0 || d.button_bouncetime > kMaxBouncetime) {
    return bad(d, "bouncetime must be between 0 and 1000 ms");
  }
  if (d.page_throttle.count() < 0 || d.page_throttle > kMaxThrottle) {
    return bad(d, "page_throttle_duration must be between 0 and 1 hour");
  }
  return {};
}

Status validate_doors(const std::vector<DoorConfig>& doors) {
  std::map<std::string, std::string> ids;
  std::map<std::string, std::string> lines;  // line -> "door 'x' relay"
  for (const auto& d : doors) {
    if (auto st = validate(d); !st) return st;
    if (!ids.emplace(d.id, d.id).second) return Error(errc::already_exists, "door '" + d.id + "' is defined twice");
    const std::pair<const char*, const std::string*> uses[] = {
        {"relay", &d.relay}, {"contact", &d.contact}, {"button", &d.button}};
    for (const auto& [role, line] : uses) {
      if (line->empty()) continue;
      const std::string user = "door '" + d.id + "' " + role;
      auto [it, fresh] = lines.emplace(*line, user);
      if (!fresh) return Error(errc::conflict, "line '" + *line + "' is used by " + it->second + " and by " + user);
    }
  }
  return {};
}

}  // namespace portier::access
