// DoorCall, the conference answer: a second resident answering a `answer: conference` group moves the door and the
// residents from the relay into a ConferenceRoom (kept apart from door_call.cpp to keep that file readable).
#include <spdlog/spdlog.h>

#include "intercom/door_call.hpp"
#include "intercom/intercom.hpp"
#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"

namespace portier::intercom {

using sip::ua::Body;
using sip::ua::CallLeg;
using media::Side;


// --- conference -------------------------------------------------------------------------------------------------

bool DoorCall::join_conference(Leg& joiner) {
  joiner.answered = true;
  if (!room_) {
    media::ConferenceRoom::Listener* listener = this;  // a private base: convert here, inside the class
    room_ = std::make_unique<media::ConferenceRoom>(*engine_, media::MixerConfig{}, listener);
    bool ok = true;
    for (auto& l : legs_)
      if (l.sip && l.answered && l.id != joiner.id) ok = ok && add_to_room(l);
    if (!ok) {
      owner_.log().error("call {}: cannot set up the conference: {}", id_, room_->dump());
      room_.reset();
      joiner.sip->bye();
      joiner.sip = nullptr;
      return false;
    }
    relay_->stop();  // its ports stay leased until the call ends (the peers move once they have the re-INVITE)
    room_->start();
    owner_.log().info("call {}: switching to a conference", id_);
  }
  if (!add_to_room(joiner)) {
    joiner.sip->bye();
    joiner.sip = nullptr;
    return false;
  }
  emit(access::EventType::call_answered, joiner.extension, "joined the conference");
  return true;
}

// Gives `leg` a room port and re-INVITEs it there; the room sends to where its SDP said (and latches).
bool DoorCall::add_to_room(Leg& leg) {
  const auto id = static_cast<media::ConferenceRoom::ParticipantId>(leg.id);
  auto port = room_->add(id, law_of(leg.media));  // the mixer encodes for each participant in its own law
  if (!port) {
    owner_.log().error("ALARM: call {}: no conference port for {}: {}", id_, leg.extension, port.error().what());
    return false;
  }
  leg.room_port = *port;
  if (leg.media) {
    if (auto remote = media::leg_remote_from(*leg.media); remote && remote->rtp) room_->set_remote(id, remote->rtp);
    if (leg.media->telephone_event) room_->set_telephone_event(id, leg.media->telephone_event->payload_type);
  }
  auto local = room_media(leg);
  local.session_version = std::to_string(++leg.sdp_version);
  auto offer = sdp::create_offer(local);
  leg.offer = offer;
  if (!leg.sip->reinvite(Body{sip::ua::kSdpContentType, sdp::serialize(offer)}))
    owner_.log().warn("call {}: could not re-INVITE {} into the conference", id_, leg.extension);
  return true;
}

// A participant's room port, offered with the codec (and telephone-event number) it already agreed on, so that it
// keeps the law the room encodes for it.
sdp::LocalMedia DoorCall::room_media(const Leg& leg) const {
  sdp::LocalMedia m;
  m.address = owner_.options().media_address;
  m.port = leg.room_port;
  m.session_id = std::to_string(id_);
  const bool alaw = law_of(leg.media) == media::G711Law::alaw;
  m.codecs.push_back({alaw ? "PCMA" : "PCMU", alaw ? 8 : 0, 8000, 1, true, 0, ""});
  const int te = leg.media && leg.media->telephone_event ? leg.media->telephone_event->payload_type : 101;
  m.codecs.push_back({"telephone-event", te, 8000, 1, true, 1, "0-16"});
  return m;
}

void DoorCall::on_leg_reinvite_result(CallLeg& sip_leg, int status, const Body* answer) {
  Leg* leg = find(sip_leg.id());
  if (leg && reoffer_ && reoffer_->to == leg->id) return finish_reoffer(*leg, status, answer);
  if (!leg || !room_) return;
  if (status < 200 || status >= 300 || !answer || !leg->offer) {
    owner_.log().warn("call {}: re-INVITE of {} into the conference answered {}", id_, leg->extension, status);
    return;
  }
  auto parsed = sdp::parse(answer->data);
  if (!parsed) return;
  auto media = sdp::accept_answer(*leg->offer, *parsed, room_media(*leg));
  if (!media) return;
  leg->media = *media;
  const auto id = static_cast<media::ConferenceRoom::ParticipantId>(leg->id);
  if (auto remote = media::leg_remote_from(*media); remote && remote->rtp) room_->set_remote(id, remote->rtp);
  room_->set_telephone_event(id, media->telephone_event ? media->telephone_event->payload_type : -1);
}

// A resident's digit in the conference counts towards the door code like one through the relay; the door's own
// digits are ignored (as in a two-party call).
void DoorCall::on_room_dtmf(media::ConferenceRoom&, media::ConferenceRoom::ParticipantId id, char digit,
                            std::chrono::milliseconds) {
  for (const auto& l : legs_) {
    if (static_cast<media::ConferenceRoom::ParticipantId>(l.id) != id) continue;
    owner_.log().info("call {}: DTMF '{}' from {} in the conference", id_, digit, l.extension);
    if (l.role == Role::member) on_resident_digit(digit, l.extension);
    return;
  }
}

void DoorCall::leave_conference(Leg& leg) {
  room_->remove(static_cast<media::ConferenceRoom::ParticipantId>(leg.id));
  for (const auto& l : legs_)
    if (l.role == Role::member && l.sip && l.answered) return;  // someone is still talking to the door
  end("resident_hangup");
}

}  // namespace portier::intercom
