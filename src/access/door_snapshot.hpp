#pragma once
// What a door looks like right now, for GET /api/doors, the live doors page and logs.
#include <optional>
#include <string>
#include <string_view>

#include "access/door_config.hpp"
#include "base/clock.hpp"

namespace portier::access {

enum class ContactState { none, open, closed };  // none: the door has no contact input

std::string_view to_string(ContactState state);

struct DoorSnapshot {
  std::string id;
  std::string name;
  DoorMode mode = DoorMode::pulse;
  bool unlocked = false;
  std::optional<Clock::SystemTime> relock_at;  // pulse doors while unlocked
  ContactState contact = ContactState::none;
  bool left_open = false;    // alarm raised and the door not closed since
  bool forced_open = false;  // alarm raised and the door not closed since
  bool fault = false;        // the last drive of the relay failed
  std::string fault_message;

  // "locked", "unlocked", "open" (unlocked or not, the contact says open) or "fault": the `state` of GET /api/doors.
  std::string_view state() const;
};

}  // namespace portier::access
