#include "device/door_lines.hpp"

namespace portier::device {

namespace {

Result<access::InputLine*> optional_input(LineRegistry& lines, const std::string& spec_text, const std::string& user) {
  if (spec_text.empty()) return static_cast<access::InputLine*>(nullptr);
  auto spec = parse_line_spec(spec_text);
  if (!spec) return Error(spec.error().code, user + ": " + spec.error().what());
  return lines.input(*spec, user);
}

Status add_door(LineRegistry& lines, access::DoorService& service, const access::DoorConfig& door) {
  const std::string who = "door '" + door.id + "' ";
  auto relay_spec = parse_line_spec(door.relay);
  if (!relay_spec) return Error(relay_spec.error().code, who + "relay: " + relay_spec.error().what());
  if (door.mode == access::DoorMode::pulse) relay_spec->pulse_ms = static_cast<std::uint32_t>(door.hold.count());
  auto relay = lines.output(*relay_spec, who + "relay");
  if (!relay) return relay.error();
  auto contact = optional_input(lines, door.contact, who + "contact");
  if (!contact) return contact.error();
  auto button = optional_input(lines, door.button, who + "button");
  if (!button) return button.error();
  return service.add_door(door, **relay, *contact, *button);
}

}  // namespace

Status add_doors(LineRegistry& lines, access::DoorService& service, const std::vector<access::DoorConfig>& doors) {
  if (auto st = access::validate_doors(doors); !st) return st;
  for (const auto& door : doors) {
    if (auto st = add_door(lines, service, door); !st) return st;
  }
  return {};
}

}  // namespace portier::device
