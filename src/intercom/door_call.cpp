#include "intercom/door_call.hpp"

#include <algorithm>
#include <filesystem>
#include <spdlog/spdlog.h>

#include "base/strings.hpp"
#include "intercom/intercom.hpp"
#include "media/tone_generator.hpp"
#include "media/wav.hpp"
#include "rtp/dtmf_info.hpp"
#include "sdp/parser.hpp"
#include "sdp/sdp_error.hpp"
#include "sdp/serializer.hpp"

namespace portier::intercom {
namespace {

using sip::ua::Body;
using sip::ua::CallLeg;
using media::Side;

int status_for(const Error& e) {
  return e.code == sdp::errc::malformed || e.code == sdp::errc::too_large ? 400 : 488;
}

// A reason phrase may not break the status line.
std::string phrase(std::string_view prefix, const std::string& detail) {
  std::string out(prefix);
  out += ": ";
  for (char c : detail) out += (c == '\r' || c == '\n' || static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  if (out.size() > 120) out.resize(120);
  return out;
}

std::string end_reason(sip::ua::EndReason why, const char* who) {
  switch (why) {
    case sip::ua::EndReason::remote_bye: return std::string(who) + "_hangup";
    case sip::ua::EndReason::cancelled: return "cancelled";
    case sip::ua::EndReason::ack_timeout: return "no_ack";
    case sip::ua::EndReason::session_expired: return "session_expired";
    case sip::ua::EndReason::dialog_gone: return "dialog_gone";
    case sip::ua::EndReason::ring_timeout: return "ring_timeout";
  }
  return "ended";
}

bool is_g711(const sdp::Codec& c) {
  return c.clock_rate == 8000 && c.channels == 1 && (iequals(c.name, "PCMU") || iequals(c.name, "PCMA"));
}

std::string timestamp_name(Clock::SystemTime t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace

const char* to_string(DoorCall::State s) {
  switch (s) {
    case DoorCall::State::calling_station: return "calling_station";
    case DoorCall::State::ringing: return "ringing";
    case DoorCall::State::answered: return "answered";
    case DoorCall::State::message: return "message";
    case DoorCall::State::ended: return "ended";
  }
  return "?";
}

std::vector<sdp::CodecPreference> bridgeable_codecs(const std::vector<sdp::CodecPreference>& configured) {
  std::vector<sdp::CodecPreference> out;
  for (const auto& c : sdp::ordered(configured)) {
    const bool g711 = c.clock_rate == 8000 && c.channels == 1 && (iequals(c.name, "PCMU") || iequals(c.name, "PCMA"));
    if (g711 || iequals(c.name, "telephone-event")) out.push_back(c);
  }
  bool voice = false;
  for (const auto& c : out) voice = voice || !iequals(c.name, "telephone-event");
  return voice ? out : configured;  // no G.711 configured: offer what is (passed through, never converted)
}

media::G711Law law_of(const std::optional<sdp::NegotiatedMedia>& m) {
  return m && iequals(m->codec.name, "PCMA") ? media::G711Law::alaw : media::G711Law::ulaw;
}

DoorCall::DoorCall(Intercom& owner, Id id, DoorCallSettings door, std::optional<RingGroup> group)
    : owner_(owner),
      id_(id),
      door_(std::move(door)),
      group_(std::move(group)),
      started_(owner.clock().now()),
      started_steady_(owner.clock().steady_now()),
      ring_timer_(owner.timers().create_timer()),
      member_timer_(owner.timers().create_timer()),
      limit_timer_(owner.timers().create_timer()),
      message_timer_(owner.timers().create_timer()) {}

DoorCall::~DoorCall() {
  for (auto& l : legs_) {
    if (l.sip) l.sip->hangup();
    l.sip = nullptr;
  }
  if (relay_) relay_->stop();
}

Status DoorCall::open_media(media::MediaEngine& engine) {
  auto relay = engine.create_relay(*this);
  if (!relay) return relay.error();
  relay_ = std::move(*relay);
  relay_->start();
  engine_ = &engine;
  return {};
}

// --- starting ---------------------------------------------------------------------------------------------------

// Takes an incoming leg's offer on relay side `side`: our answer (the leg is refused with 400/488 when the offer is
// unusable, and the call is over).
std::optional<Body> DoorCall::take_offer(Leg& leg, const sip::ua::IncomingCall& call, Side side) {
  auto reject = [&](int status, const std::string& reason) -> std::optional<Body> {
    owner_.log().info("call {}: {} refused {} {}", id_, leg.extension, status, reason);
    leg.sip->reject(status, reason);
    leg.sip = nullptr;
    set_state(State::ended);
    return std::nullopt;
  };
  if (call.offer.empty()) return reject(488, "SDP offer required");
  auto offer = sdp::parse(call.offer.data);
  if (!offer) return reject(status_for(offer.error()), phrase("Malformed SDP", offer.error().what()));
  auto answer = sdp::create_answer(*offer, local(side));
  if (!answer) return reject(status_for(answer.error()), phrase("Not Acceptable Here", answer.error().what()));
  auto remote = media::leg_remote_from(answer->media);
  if (!remote) return reject(488, phrase("Not Acceptable Here", remote.error().what()));
  relay_->set_remote(side, *remote);
  media_[side == Side::a ? 0 : 1] = answer->media;
  leg.media = answer->media;
  leg.remote_version = offer->origin.session_version;
  return Body{sip::ua::kSdpContentType, sdp::serialize(answer->sdp)};
}

bool DoorCall::start_from_door(CallLeg& leg, const sip::ua::IncomingCall& call) {
  legs_.push_back(make_leg(leg, Role::door, call.caller ? call.caller->number : "", Side::a));
  leg.set_listener(this);
  auto answer = take_offer(legs_.back(), call, Side::a);
  if (!answer) return false;
  leg.accept(*answer);
  legs_.back().answered = true;
  emit(access::EventType::call_ringing, legs_.back().extension, "ring group " + (group_ ? group_->id : ""));
  start_ringback();
  ring_group();
  return true;
}

bool DoorCall::start_from_button() {
  set_state(State::calling_station);
  if (invite(door_.station, Role::door, Side::a, 0) == 0) {
    set_state(State::ended);
    return false;
  }
  arm(*ring_timer_, std::chrono::seconds(30), &DoorCall::on_ring_timeout);
  return true;
}

bool DoorCall::start_to_station(CallLeg& leg, const sip::ua::IncomingCall& call) {
  if (!ring_for_caller(leg, call, door_.station, owner_.targets(door_.station), "Door station not registered"))
    return false;
  emit(access::EventType::call_ringing, legs_.front().extension, "door station " + door_.station);
  arm(*ring_timer_, std::chrono::seconds(30), &DoorCall::on_ring_timeout);
  return true;
}

// The caller (side B) hears 180 while every target of `callee` rings on side A; it is answered when one of them
// answers. False (the caller refused with 400/488 or 480 `unavailable`) when that cannot start.
bool DoorCall::ring_for_caller(CallLeg& leg, const sip::ua::IncomingCall& call, const std::string& callee,
                               const std::vector<sip::ua::CallLegs::Target>& targets, const char* unavailable) {
  legs_.push_back(make_leg(leg, Role::resident, call.caller ? call.caller->number : "", Side::b));
  leg.set_listener(this);
  auto answer = take_offer(legs_.back(), call, Side::b);
  if (!answer) return false;
  pending_answer_ = *answer;
  set_state(State::calling_station);
  if (invite_targets(callee, targets, Role::door, Side::a, 0) == 0) {
    leg.reject(480, unavailable);
    legs_.front().sip = nullptr;
    set_state(State::ended);
    return false;
  }
  leg.ring();
  return true;
}

// --- CallLeg::Listener ------------------------------------------------------------------------------------------

void DoorCall::on_leg_answered(CallLeg& sip_leg, const Body& answer) {
  Leg* leg = find(sip_leg.id());
  if (!leg || state_ == State::ended) {
    sip_leg.hangup();
    return;
  }
  auto fail = [&](const std::string& why) {
    owner_.log().warn("call {}: unusable answer from {}: {}", id_, leg->extension, why);
    leg->sip->bye();
    leg->sip = nullptr;
    on_leg_gone(*leg);
  };
  if (answer.empty() || !leg->offer) return fail("no SDP answer");
  auto parsed = sdp::parse(answer.data);
  if (!parsed) return fail(parsed.error().what());
  auto media = sdp::accept_answer(*leg->offer, *parsed, local(leg->side));
  if (!media) return fail(media.error().what());
  auto remote = media::leg_remote_from(*media);
  if (!remote) return fail(remote.error().what());
  leg->media = *media;
  leg->remote_version = parsed->origin.session_version;
  if (leg->role == Role::member && state_ == State::answered && conference_mode()) {
    join_conference(*leg);
    return;
  }
  if (leg->role == Role::member && state_ != State::ringing) {
    owner_.log().info("call {}: {} answered too late; hanging up", id_, leg->extension);
    leg->sip->bye();
    leg->sip = nullptr;
    return;
  }
  if (leg->role == Role::door && state_ != State::calling_station) {  // another of its contacts answered first
    owner_.log().info("call {}: a second contact of {} answered; hanging it up", id_, leg->extension);
    leg->sip->bye();
    leg->sip = nullptr;
    return;
  }
  relay_->set_remote(leg->side, *remote);
  media_[leg->side == Side::a ? 0 : 1] = *media;

  if (leg->role == Role::member) {
    on_member_answered(*leg);
    return;
  }
  // The door station answered (it auto-answers).
  leg->answered = true;
  ring_timer_->cancel();
  Leg* resident = nullptr;
  for (auto& l : legs_)
    if (l.role == Role::resident && l.sip) resident = &l;
  if (resident && kind_ == Kind::extension) {
    on_callee_answered(*leg, *resident);
    return;
  }
  if (resident) {  // a resident called the door station: bridge now
    cancel_station_forks(leg->id);
    resident->sip->accept(pending_answer_);
    resident->answered = true;
    answered_by_ = resident->extension;
    answered_at_ = owner_.clock().steady_now();
    set_state(State::answered);
    emit(access::EventType::call_answered, resident->extension, "door station answered");
    start_call_limit();
    return;
  }
  // The call button's call: the station is up, now ring the group with ringback to the door.
  cancel_station_forks(leg->id);
  emit(access::EventType::call_ringing, door_.station, "call button; ring group " + (group_ ? group_->id : ""));
  start_ringback();
  ring_group();
}

void DoorCall::cancel_station_forks(CallLeg::Id except) {
  for (auto& l : legs_) {
    if (l.role == Role::door && l.sip && !l.answered && l.id != except) {
      l.sip->hangup();
      l.sip = nullptr;
    }
  }
}

void DoorCall::on_leg_failed(CallLeg& sip_leg, int status, std::string_view reason) {
  Leg* leg = find(sip_leg.id());
  if (!leg) return;
  leg->sip = nullptr;
  owner_.log().info("call {}: {} {} failed: {} {}", id_, leg->role == Role::door ? "station" : "member",
                    leg->extension, status, reason);
  last_failure_ = status;
  on_leg_gone(*leg);
}

// A leg that never answered is gone: decide whether the call goes on.
void DoorCall::on_leg_gone(Leg& leg) {
  if (state_ == State::ended) return;
  if (leg.role == Role::door) {
    for (const auto& l : legs_)
      if (l.role == Role::door && l.sip) return;  // another contact of the station may still answer
    for (auto& l : legs_) {
      if (l.role == Role::resident && l.sip) {
        const int status = last_failure_ >= 400 && last_failure_ < 700 ? last_failure_ : 480;
        if (kind_ == Kind::extension) l.sip->reject(status);  // the callee's own reason phrase (Busy Here, ...)
        else l.sip->reject(status, "Door station unavailable");
        l.sip = nullptr;
      }
    }
    end(kind_ == Kind::extension ? "unavailable" : "station_unavailable");
    return;
  }
  if (leg.role != Role::member || state_ != State::ringing) return;
  if (group_ && group_->strategy == RingStrategy::sequential) {
    if (!members_ringing(member_turn_)) {
      member_timer_->cancel();
      ring_member(member_turn_ + 1);
    }
  } else if (!members_ringing(std::nullopt)) {
    nobody_answered();
  }
}

void DoorCall::on_leg_ended(CallLeg& sip_leg, sip::ua::EndReason why) {
  Leg* leg = find(sip_leg.id());
  if (!leg) return;
  leg->sip = nullptr;
  switch (leg->role) {
    case Role::door: end(end_reason(why, kind_ == Kind::extension ? "callee" : "door")); break;
    case Role::resident: end(end_reason(why, kind_ == Kind::extension ? "caller" : "resident")); break;
    case Role::member:
      if (leg->answered && room_) leave_conference(*leg);
      else if (leg->answered) end(end_reason(why, "resident"));
      break;
  }
}

std::optional<Body> DoorCall::on_leg_offer(CallLeg& sip_leg, const Body& offer) {
  Leg* leg = find(sip_leg.id());
  if (!leg || state_ == State::ended) return std::nullopt;
  auto parsed = sdp::parse(offer.data);
  if (!parsed) return std::nullopt;
  auto answer = sdp::create_answer(*parsed, local(leg->side));
  if (!answer) return std::nullopt;
  auto remote = media::leg_remote_from(answer->media);
  if (!remote) return std::nullopt;
  relay_->set_remote(leg->side, *remote);
  media_[leg->side == Side::a ? 0 : 1] = answer->media;
  leg->remote_version = parsed->origin.session_version;
  return Body{sip::ua::kSdpContentType, sdp::serialize(answer->sdp)};
}

void DoorCall::on_leg_info(CallLeg& sip_leg, const Body& body) {
  Leg* leg = find(sip_leg.id());
  if (!leg || body.type.find("dtmf-relay") == std::string::npos) return;
  if (kind_ == Kind::extension) {
    forward_info(*leg, body);
    return;
  }
  auto info = rtp::parse_dtmf_relay(body.data);
  if (!info) {
    owner_.log().info("call {}: bad dtmf-relay INFO: {}", id_, info.error().what());
    return;
  }
  if (leg->side == Side::b) on_resident_digit(info->digit, leg->extension);
}

// --- MediaRelayListener -----------------------------------------------------------------------------------------

void DoorCall::on_relay_idle(media::MediaRelay&) { end("media_timeout"); }

void DoorCall::on_relay_dtmf(media::MediaRelay&, Side from, char digit, std::chrono::milliseconds) {
  if (from == Side::b) on_resident_digit(digit, answered_by_);
}

void DoorCall::on_resident_digit(char digit, const std::string& extension) {
  if (state_ != State::answered || kind_ == Kind::extension) return;  // no door to open in an extension call
  owner_.on_call_dtmf(*this, extension.empty() ? answered_by_ : extension, digit);
}

void DoorCall::on_relay_playback_done(media::MediaRelay&, Side to) {
  if (to == Side::b && state_ == State::answered && !media_[0] && !room_) play_silence();
  if (to != Side::a) return;
  if (state_ == State::ringing) start_ringback();
  else if (state_ == State::message && !recorder_) start_recording();
}

// --- media ------------------------------------------------------------------------------------------------------

sdp::LocalMedia DoorCall::local(Side s) const {
  sdp::LocalMedia m;
  m.address = owner_.options().media_address;
  m.port = relay_->local_port(s);
  m.session_id = std::to_string(id_);
  m.codecs = bridgeable_codecs(owner_.options().codecs);
  const auto& other = media_[s == Side::a ? 1 : 0];
  if (other && is_g711(other->codec)) {
    // Every G.711 law (the relay converts between them), but the other leg's first, so that a phone that can do
    // both picks it and the relay passes packets through untouched; its telephone-event number too (else the relay
    // renumbers).
    std::stable_partition(m.codecs.begin(), m.codecs.end(),
                          [&](const sdp::CodecPreference& c) { return iequals(c.name, other->codec.name); });
    const int te = other->telephone_event ? other->telephone_event->payload_type : -1;
    int priority = 0;
    for (auto& c : m.codecs) {
      c.priority = priority++;  // bridgeable_codecs() sorted them; the new order is the priority now
      if (iequals(c.name, "telephone-event") && te >= 96 && te <= 127) c.payload_type = te;
    }
  } else if (other) {
    // The relay converts between the G.711 laws only: anything else must be the other leg's codec, passed through
    // (with its telephone-event number).
    m.codecs.clear();
    m.codecs.push_back({other->codec.name, other->codec.payload_type, other->codec.clock_rate, other->codec.channels,
                        true, 0, other->codec.fmtp});
    const int te = other->telephone_event ? other->telephone_event->payload_type : 101;
    m.codecs.push_back({"telephone-event", te, 8000, 1, true, 1, "0-16"});
  }
  return m;
}

media::G711Law DoorCall::law(Side s) const { return law_of(media_[s == Side::a ? 0 : 1]); }

void DoorCall::start_ringback() {
  if (!media_[0]) return;
  (void)relay_->play(Side::a, media::make_prompt(media::Prompt::ringback), law(Side::a));
}

void DoorCall::play_acknowledgement(const std::string& extension) {
  if (state_ != State::answered) return;
  if (!room_) {
    (void)relay_->play(Side::b, media::make_prompt(media::Prompt::door_opened), law(Side::b));
    return;
  }
  for (const auto& l : legs_) {  // the relay is stopped in a conference: the room plays it to the one who keyed
    if (l.role != Role::member || !l.sip || !l.answered || l.extension != extension) continue;
    const auto id = static_cast<media::ConferenceRoom::ParticipantId>(l.id);
    if (auto st = room_->play(id, media::make_prompt(media::Prompt::door_opened)); !st)
      owner_.log().info("call {}: no acknowledgement tone for {}: {}", id_, extension, st.error().what());
    return;
  }
}

void DoorCall::start_call_limit() {
  if (door_.call_limit.count() > 0) arm(*limit_timer_, door_.call_limit, &DoorCall::on_call_limit);
}

void DoorCall::on_call_limit() {
  if (state_ == State::answered) end("call_limit");
}

void DoorCall::start_visitor_message() {
  set_state(State::message);
  std::vector<std::int16_t> prompt;
  if (!owner_.options().visitor_prompt.empty()) {
    auto wav = media::read_wav(owner_.options().visitor_prompt);
    if (wav && wav->sample_rate == 8000) prompt = std::move(wav->samples);
    else owner_.log().warn("visitor prompt {} unusable; playing the built-in beep", owner_.options().visitor_prompt);
  }
  if (prompt.empty()) prompt = media::make_prompt(media::Prompt::beep);
  if (!relay_->play(Side::a, std::move(prompt), law(Side::a))) start_recording();
}

void DoorCall::start_recording() {
  recorder_ = std::make_unique<media::Recorder>(owner_.options().visitor_message_max);
  relay_->set_tap(Side::a, recorder_.get());
  arm(*message_timer_, owner_.options().visitor_message_max, &DoorCall::on_message_timer);
}

void DoorCall::on_message_timer() {
  if (state_ == State::message) end("visitor_message");
}

void DoorCall::finish_recording() {
  relay_->set_tap(Side::a, nullptr);
  auto rec = std::move(recorder_);
  if (!rec || rec->samples().empty()) {
    owner_.log().info("call {}: visitor message is empty; nothing saved", id_);
    return;
  }
  const std::string name = (door_.door.empty() ? std::string("door") : door_.door) + "-" + timestamp_name(started_) +
                           "-" + std::to_string(id_) + ".wav";
  std::error_code ec;
  std::filesystem::create_directories(owner_.options().recordings_dir, ec);
  const auto path = (std::filesystem::path(owner_.options().recordings_dir) / name).string();
  if (auto st = rec->save(path); !st) {
    owner_.log().error("call {}: saving visitor message {}: {}", id_, path, st.error().what());
    return;
  }
  const auto ms = rec->length().count();
  emit(access::EventType::visitor_message, "",
       "url=/api/recordings/" + name + " duration=" + std::to_string((ms + 500) / 1000));
}

// --- ending -----------------------------------------------------------------------------------------------------

void DoorCall::end(const std::string& reason) {
  if (state_ == State::ended) return;
  const bool had_message = state_ == State::message;
  set_state(State::ended);
  ring_timer_->cancel();
  member_timer_->cancel();
  limit_timer_->cancel();
  message_timer_->cancel();
  if (had_message) finish_recording();
  for (auto& l : legs_) {
    if (!l.sip) continue;
    auto* leg = l.sip;
    l.sip = nullptr;
    leg->hangup();
  }
  relay_->stop();
  if (room_) room_->stop();
  const auto now = owner_.clock().steady_now();
  const auto duration = std::chrono::duration_cast<std::chrono::seconds>(now - started_steady_).count();
  const auto talk =
      answered_at_ ? std::chrono::duration_cast<std::chrono::seconds>(now - *answered_at_).count() : 0;
  owner_.log().info("call {} ended: {} after {} s ({} s talking) {}", id_, reason, duration, talk, relay_->dump());
  emit(access::EventType::call_ended, answered_by_,
       "reason=" + reason + " duration=" + std::to_string(duration) + " talk=" + std::to_string(talk));
  owner_.on_call_finished(*this);
}

// --- helpers ----------------------------------------------------------------------------------------------------

DoorCall::Leg DoorCall::make_leg(CallLeg& sip, Role role, std::string extension, Side side) {
  Leg l;
  l.sip = &sip;
  l.id = sip.id();
  l.role = role;
  l.extension = std::move(extension);
  l.side = side;
  return l;
}

DoorCall::Leg* DoorCall::find(CallLeg::Id id) {
  for (auto& l : legs_)
    if (l.id == id) return &l;
  return nullptr;
}

void DoorCall::set_state(State s) { state_ = s; }

void DoorCall::emit(access::EventType type, const std::string& actor, std::string detail) {
  access::Event e;
  e.type = type;
  e.door = door_.door;
  e.time = owner_.clock().now();
  e.actor = actor;
  e.method = "sip";
  e.detail = "call=" + std::to_string(id_) + " " + detail;
  owner_.publish(e);
}

void DoorCall::arm(access::Timer& timer, std::chrono::milliseconds after, void (DoorCall::*fn)()) {
  // The timer is a member: destroying the call destroys (cancels) it, so `this` is valid whenever it fires.
  timer.start(after, [this, fn] { (this->*fn)(); });
}

CallInfo DoorCall::info() const {
  CallInfo c;
  c.id = id_;
  c.door = door_.door;
  c.state = to_string(state_);
  c.ring_group = group_ ? group_->id : "";
  c.answered_by = answered_by_;
  c.started = started_;
  for (const auto& l : legs_) {
    if (!l.sip) continue;
    c.legs.push_back({l.id, role_name(l.role), l.extension, std::string(sip::ua::state_name(l.sip->state()))});
  }
  return c;
}

std::string DoorCall::dump() const {
  std::string s = "call " + std::to_string(id_) + " door=" + door_.door + " state=" + to_string(state_);
  for (const auto& l : legs_) s += " leg" + std::to_string(l.id) + "=" + l.extension + (l.sip ? "" : "(gone)");
  return s;
}

}  // namespace portier::intercom
