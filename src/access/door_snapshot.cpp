#include "access/door_snapshot.hpp"

namespace portier::access {

std::string_view to_string(ContactState state) {
  switch (state) {
    case ContactState::none: return "none";
    case ContactState::open: return "open";
    case ContactState::closed: return "closed";
  }
  return "none";
}

std::string_view DoorSnapshot::state() const {
  if (fault) return "fault";
  if (contact == ContactState::open) return "open";
  return unlocked ? "unlocked" : "locked";
}

}  // namespace portier::access
