// DoorCall, ringing: offering the call to a member's targets (registered contacts, or browser phones through the
// Intercom's MemberResolver), parallel and sequential ring groups, member and group timeouts, the first answer
// (kept apart from door_call.cpp to keep that file readable).
#include <spdlog/spdlog.h>

#include "intercom/door_call.hpp"
#include "intercom/intercom.hpp"
#include "sdp/serializer.hpp"

namespace portier::intercom {

using sip::ua::Body;
using sip::ua::CallLeg;
using media::Side;


// --- ringing ----------------------------------------------------------------------------------------------------

std::size_t DoorCall::invite(const std::string& member, Role role, Side side, std::size_t member_index) {
  return invite_targets(member, owner_.targets(member), role, side, member_index);
}

std::size_t DoorCall::invite_targets(const std::string& member, const std::vector<sip::ua::CallLegs::Target>& targets,
                                     Role role, Side side, std::size_t member_index) {
  if (targets.empty()) {
    owner_.log().info("call {}: {} has no {}", id_, member,
                      is_browser_member(member) ? "browser phone online" : "registered phone");
    return 0;
  }
  const auto offer = sdp::create_offer(local(side));
  const Body body{sip::ua::kSdpContentType, sdp::serialize(offer)};
  std::size_t started = 0;
  for (const auto& target : targets) {
    sip::ua::CallLegs::OutgoingCall out;
    out.from_user = role == Role::door ? (legs_.empty() ? door_.door : legs_.front().extension) : door_.station;
    if (out.from_user.empty()) out.from_user = door_.door.empty() ? "door" : door_.door;
    out.from_display = kind_ == Kind::extension ? caller_display_ : door_.door;
    out.offer = body;
    auto leg = owner_.sip().calls().invite(target, std::move(out), *this);
    if (!leg) {
      owner_.log().warn("call {}: cannot call {} at {}: {}", id_, member, target.uri, leg.error().what());
      continue;
    }
    Leg l = make_leg(**leg, role, owner_.member_name(member, target), side);
    l.member_index = member_index;
    l.offer = offer;
    legs_.push_back(std::move(l));
    ++started;
  }
  return started;
}

void DoorCall::ring_group() {
  set_state(State::ringing);
  if (!group_ || group_->members.empty()) {
    nobody_answered();
    return;
  }
  arm(*ring_timer_, group_->ring_timeout, &DoorCall::on_ring_timeout);
  if (group_->strategy == RingStrategy::sequential) {
    ring_member(0);
    return;
  }
  std::size_t started = 0;
  for (std::size_t i = 0; i < group_->members.size(); ++i) {
    started += invite(group_->members[i], Role::member, Side::b, i);
  }
  if (started == 0) nobody_answered();
}

void DoorCall::ring_member(std::size_t index) {
  for (std::size_t i = index; i < group_->members.size(); ++i) {
    if (invite(group_->members[i], Role::member, Side::b, i) == 0) continue;
    member_turn_ = i;
    arm(*member_timer_, group_->member_timeout, &DoorCall::on_member_timeout);
    return;
  }
  nobody_answered();
}

void DoorCall::on_member_timeout() {
  if (state_ != State::ringing) return;
  for (auto& l : legs_) {
    if (l.role == Role::member && l.sip && !l.answered && l.member_index == member_turn_) {
      l.sip->hangup();
      l.sip = nullptr;
    }
  }
  ring_member(member_turn_ + 1);
}

void DoorCall::on_ring_timeout() {
  if (state_ == State::calling_station) {
    end(kind_ == Kind::extension ? "no_answer" : "station_no_answer");
  } else if (state_ == State::ringing) {
    cancel_members(0);
    nobody_answered();
  } else if (state_ == State::answered) {
    cancel_members(0);  // conference groups: whoever has not answered by now stops ringing
  }
}

bool DoorCall::members_ringing(std::optional<std::size_t> turn) const {
  for (const auto& l : legs_)
    if (l.role == Role::member && l.sip && !l.answered && (!turn || l.member_index == *turn)) return true;
  return false;
}

void DoorCall::cancel_members(CallLeg::Id except) {
  for (auto& l : legs_) {
    if (l.role == Role::member && l.sip && !l.answered && l.id != except) {
      l.sip->hangup();  // CANCEL (deferred by the leg until a provisional response, §9.1)
      l.sip = nullptr;
    }
  }
}

void DoorCall::nobody_answered() {
  if (state_ != State::ringing) return;
  member_timer_->cancel();
  ring_timer_->cancel();
  if (door_.visitor_message && media_[0]) {
    start_visitor_message();
  } else {
    end("no_answer");
  }
}

void DoorCall::on_member_answered(Leg& leg) {
  if (state_ != State::ringing) {
    // A 2xx from another phone once the call has moved on (answered in a first-answer group, or recording a
    // visitor message): hang it up.
    owner_.log().info("call {}: {} answered too late; hanging up", id_, leg.extension);
    leg.sip->bye();
    leg.sip = nullptr;
    return;
  }
  leg.answered = true;
  answered_by_ = leg.extension;
  answered_at_ = owner_.clock().steady_now();
  set_state(State::answered);
  if (!conference_mode()) ring_timer_->cancel();  // conference: the ring timeout still ends the others' ringing
  member_timer_->cancel();
  relay_->stop_playback(Side::a);
  relay_->set_rewrite(Side::a, true);  // the door hears ringback, then the resident: one continuous stream
  if (!conference_mode()) cancel_members(leg.id);  // conference: the others may still answer and join
  emit(access::EventType::call_answered, leg.extension, "answered by " + leg.extension);
  if (!media_[0]) play_silence();  // a door without a station: nothing to hear but the line must not be dead
  start_call_limit();
}

}  // namespace portier::intercom
