// DoorCall without a door station: extension-to-extension calls (a resident or browser phone dialling another
// extension) and the call button of a door that has no station (kept apart from door_call.cpp to keep that file
// readable).
#include <spdlog/spdlog.h>

#include "intercom/door_call.hpp"
#include "intercom/intercom.hpp"

namespace portier::intercom {

using sip::ua::Body;
using sip::ua::CallLeg;
using media::Side;

namespace {
constexpr std::size_t kSilenceSamples = 8000;  // one second, replayed while the call lasts
}  // namespace

bool DoorCall::start_to_extension(CallLeg& leg, const sip::ua::IncomingCall& call, const std::string& callee,
                                  const std::vector<sip::ua::CallLegs::Target>& targets) {
  kind_ = Kind::extension;
  caller_display_ = call.caller && !call.caller->display_name.empty() ? call.caller->display_name : call.from_display;
  // Same shape as a resident calling a door station: the caller on side B, the callee's contacts on side A.
  if (!ring_for_caller(leg, call, callee, targets, "Temporarily Unavailable")) return false;
  emit(access::EventType::call_ringing, legs_.front().extension, "calling " + callee);
  arm(*ring_timer_, owner_.options().extension_ring_timeout, &DoorCall::on_ring_timeout);
  return true;
}

// The callee answered (its SDP is on side A already): the other contacts stop ringing, the caller gets our 200.
void DoorCall::on_callee_answered(Leg& callee, Leg& caller) {
  cancel_station_forks(callee.id);
  if (!caller.sip->accept(pending_answer_)) {
    owner_.log().warn("call {}: {} answered but the caller {} is gone", id_, callee.extension, caller.extension);
    end("caller_gone");
    return;
  }
  caller.answered = true;
  answered_by_ = callee.extension;
  answered_at_ = owner_.clock().steady_now();
  set_state(State::answered);
  emit(access::EventType::call_answered, callee.extension, caller.extension + " to " + callee.extension);
  start_call_limit();
}

bool DoorCall::start_without_station() {
  emit(access::EventType::call_ringing, "", "call button without station; ring group " + (group_ ? group_->id : ""));
  ring_group();
  return state_ != State::ended;
}

void DoorCall::play_silence() {
  (void)relay_->play(Side::b, std::vector<std::int16_t>(kSilenceSamples, 0), law(Side::b));
}

void DoorCall::forward_info(const Leg& from, const Body& body) {
  if (state_ != State::answered) return;
  for (auto& l : legs_) {
    if (l.sip && l.answered && l.side != from.side) {
      if (!l.sip->send_info(body)) owner_.log().info("call {}: could not pass an INFO on to {}", id_, l.extension);
      return;
    }
  }
}

bool DoorCall::talking(const std::string& extension) const {
  if (state_ == State::ended) return false;
  for (const auto& l : legs_)
    if (l.sip && l.answered && l.extension == extension) return true;
  return false;
}

const char* DoorCall::role_name(Role r) const {
  if (kind_ == Kind::extension) return r == Role::door ? "callee" : "caller";
  switch (r) {
    case Role::door: return "door";
    case Role::member: return "member";
    case Role::resident: return "resident";
  }
  return "?";
}

}  // namespace portier::intercom
