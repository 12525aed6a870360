#include "access/event.hpp"

#include "base/error.hpp"

namespace portier::access {

namespace {
constexpr EventType kAll[] = {EventType::ring,           EventType::unlock_requested, EventType::unlocked,
                              EventType::relocked,       EventType::unlock_denied,    EventType::unlock_failed,
                              EventType::relock_failed,  EventType::door_opened,      EventType::door_closed,
                              EventType::door_left_open, EventType::forced_open,   EventType::registered,
                              EventType::unregistered,   EventType::registration_expired, EventType::pass_created,
                              EventType::pass_used,      EventType::pass_denied,      EventType::pass_revoked,
                              EventType::device_online,  EventType::device_offline,
                              EventType::call_ringing,   EventType::call_answered,    EventType::call_dtmf,
                              EventType::call_ended,     EventType::visitor_message};
}  // namespace

std::string_view to_string(EventType type) {
  switch (type) {
    case EventType::ring: return "ring";
    case EventType::unlock_requested: return "unlock_requested";
    case EventType::unlocked: return "unlocked";
    case EventType::relocked: return "relocked";
    case EventType::unlock_denied: return "unlock_denied";
    case EventType::unlock_failed: return "unlock_failed";
    case EventType::relock_failed: return "relock_failed";
    case EventType::door_opened: return "door_opened";
    case EventType::door_closed: return "door_closed";
    case EventType::door_left_open: return "door_left_open";
    case EventType::forced_open: return "forced_open";
    case EventType::registered: return "registered";
    case EventType::unregistered: return "unregistered";
    case EventType::registration_expired: return "registration_expired";
    case EventType::pass_created: return "pass_created";
    case EventType::pass_used: return "pass_used";
    case EventType::pass_denied: return "pass_denied";
    case EventType::pass_revoked: return "pass_revoked";
    case EventType::device_online: return "device_online";
    case EventType::device_offline: return "device_offline";
    case EventType::call_ringing: return "call_ringing";
    case EventType::call_answered: return "call_answered";
    case EventType::call_dtmf: return "call_dtmf";
    case EventType::call_ended: return "call_ended";
    case EventType::visitor_message: return "visitor_message";
  }
  return "ring";
}

Result<EventType> parse_event_type(std::string_view text) {
  for (auto t : kAll) {
    if (to_string(t) == text) return t;
  }
  return Error(errc::invalid_argument, "unknown event type '" + std::string(text) + "'");
}

bool is_alarm(EventType type) {
  return type == EventType::door_left_open || type == EventType::forced_open || type == EventType::relock_failed;
}

}  // namespace portier::access
