#pragma once
// A door as configured: which lines it uses and how it behaves. The app fills these from the `doors:` config list
// (and the demo defaults) and must call validate_doors() before building anything, so that a bad door is rejected at
// load, not at the first unlock. Line names are opaque here; the device layer resolves them.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace portier::access {

enum class DoorMode {
  pulse,  // unlock drives the relay for `hold`, then relocks; another unlock meanwhile extends
  hold,   // unlock keeps the relay active until lock() (e.g. held open for an event)
  lock,   // bistable lock: unlock() and lock() each set the state, which stays until the next command
};

std::string_view to_string(DoorMode mode);
Result<DoorMode> parse_door_mode(std::string_view text);

struct DoorConfig {
  std::string id;                                // [A-Za-z0-9_-]{1,64}; used in URLs and events
  std::string name;                              // shown to people; defaults to id
  std::string relay;                             // output line; active = unlocked
  DoorMode mode = DoorMode::pulse;
  std::chrono::milliseconds hold{5000};          // pulse length (breakonthru's door_unlocked_duration)
  std::string contact;                           // optional input line; active = door open
  std::chrono::milliseconds contact_bouncetime{20};
  std::chrono::seconds left_open_after{60};      // alarm when open this long; 0 disables
  bool forced_open_alarm = true;                 // alarm when the contact opens while locked
  std::string button;                            // optional call-button input line; active = pressed
  std::chrono::milliseconds button_bouncetime{2};
  std::chrono::milliseconds page_throttle{15000};  // one ring per window (page_throttle_duration)
};

// Limits enforced by validate().
inline constexpr std::chrono::milliseconds kMaxHold{std::chrono::hours{1}};
inline constexpr std::chrono::milliseconds kMaxBouncetime{1000};
inline constexpr std::chrono::milliseconds kMaxThrottle{std::chrono::hours{1}};

bool valid_door_id(std::string_view id);
// Checks one door; errc::invalid_argument with a message naming the door and the key.
Status validate(const DoorConfig& door);
// Checks every door, unique ids, and that no line is used twice (two doors on one line, or relay == contact).
Status validate_doors(const std::vector<DoorConfig>& doors);

}  // namespace portier::access
