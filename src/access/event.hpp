#pragma once
// A door event as it travels to the event bus, the WebSocket stream and the event history. Ids are assigned by the
// bus (or the store), not here.
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace portier::access {

enum class EventType {
  ring,
  unlock_requested,
  unlocked,
  relocked,
  unlock_denied,
  unlock_failed,
  relock_failed,
  door_opened,
  door_closed,
  door_left_open,
  forced_open,
  // SIP registrations (door is empty; actor is the extension, detail the contact and source)
  registered,
  unregistered,
  registration_expired,
  // Guest passes (door: the door for used/denied, "" for created/revoked; actor: the pass label or the host)
  pass_created,
  pass_used,
  pass_denied,
  pass_revoked,
  // Network door devices (door is empty; detail names the device)
  device_online,
  device_offline,
  // Calls (door: the call's door; actor: the extension; detail starts with "call=<id>"; call_ended adds
  // "reason=<why> duration=<seconds>", visitor_message "url=/api/recordings/<name> duration=<seconds>")
  call_ringing,
  call_answered,
  call_dtmf,
  call_ended,
  visitor_message,
};

// The wire names: "ring", "unlock_requested", ... (the `type` of GET /api/events/history).
std::string_view to_string(EventType type);
Result<EventType> parse_event_type(std::string_view text);
// Alarms deserve a louder presentation (left open, forced open, relock failed).
bool is_alarm(EventType type);

struct Event {
  EventType type = EventType::ring;
  std::string door;
  Clock::SystemTime time{};
  std::string actor;   // display name of who caused it; "" for hardware events
  std::string method;  // "web", "api", ... or "" for hardware events
  std::string detail;  // e.g. the driver's error, the button id
  std::optional<Clock::SystemTime> relock_at;  // `unlocked` of a pulse door
};

}  // namespace portier::access
