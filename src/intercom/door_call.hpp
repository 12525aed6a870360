#pragma once
// One call anchored at Portier (B2BUA): the door leg (the door station, incoming or called by us) on relay side A,
// resident legs on side B (ringing members of the door's ring group, or the resident who called the door station),
// one media::MediaRelay between them. An extension call (a resident or browser phone dialling another extension)
// is the same shape without a door: the caller on side B, the callee's contacts on side A (door ""); a door
// without a station rings its group with nothing on side A (the resident hears silence). While nobody has answered, the door hears ringback; the first member to answer
// wins and the others are cancelled; the call limit ends an answered call; when nobody answers, a visitor message
// is recorded (when the door wants one). DTMF from the resident side (RFC 4733 through the relay or the conference
// room, or SIP INFO) goes to the Intercom, which checks the door's code. Owned by Intercom (unique_ptr); it learns
// that the call is over through Intercom::on_call_finished() and destroys it later (never inside a callback of
// this call).
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "access/event.hpp"
#include "access/timer.hpp"
#include "intercom/intercom_config.hpp"
#include "media/conference_room.hpp"
#include "media/media_relay.hpp"
#include "media/recorder.hpp"
#include "sdp/offer_answer.hpp"
#include "sip/ua/call_leg.hpp"
#include "sip/ua/call_legs.hpp"
#include "sip/ua/invite_handler.hpp"

namespace portier::intercom {

class Intercom;

struct LegInfo {
  std::uint64_t id = 0;
  std::string role;       // "door" | "member" | "resident"; extension calls: "caller" | "callee"
  std::string extension;
  std::string state;      // sip leg state: calling, ringing, accepted, confirmed, terminated
};

struct CallInfo {
  std::uint64_t id = 0;
  std::string door;         // "" for an extension call
  std::string state;        // "calling_station" | "ringing" | "answered" | "message" | "ended"
  std::string ring_group;
  std::string answered_by;  // extension
  Clock::SystemTime started{};
  std::vector<LegInfo> legs;
};

class DoorCall final : sip::ua::CallLeg::Listener, media::MediaRelayListener, media::ConferenceRoom::Listener {
 public:
  using Id = std::uint64_t;
  enum class State { calling_station, ringing, answered, message, ended };

  DoorCall(Intercom& owner, Id id, DoorCallSettings door, std::optional<RingGroup> group);
  ~DoorCall() override;
  DoorCall(const DoorCall&) = delete;
  DoorCall& operator=(const DoorCall&) = delete;

  // Binds the relay's ports. errc::port_range_exhausted when the RTP range is used up.
  Status open_media(media::MediaEngine& engine);
  // A door station called the ring group: answer it (ringback), ring the group. Rejects the leg itself (400/488)
  // and returns false when its offer is unusable.
  bool start_from_door(sip::ua::CallLeg& leg, const sip::ua::IncomingCall& call);
  // The door's call button rang: call the station (it auto-answers), then ring the group.
  bool start_from_button();
  // A resident called the door station's extension: ring the station, bridge when it answers.
  bool start_to_station(sip::ua::CallLeg& leg, const sip::ua::IncomingCall& call);
  // The call button of a door without a station: ring the group; the answering resident hears silence (no door
  // audio) and may open the door with its DTMF code. No visitor message (nothing to record).
  bool start_without_station();
  // An extension call: ring every target of `callee` (its registered contacts or browser phones), bridge the first
  // to answer with the caller (others CANCELled), pass the callee's failure (486, ...) back. Rejects the leg itself
  // (400/488 for a bad offer, 480 when no target could be called) and returns false.
  bool start_to_extension(sip::ua::CallLeg& leg, const sip::ua::IncomingCall& call, const std::string& callee,
                          const std::vector<sip::ua::CallLegs::Target>& targets);

  // Ends every leg; `reason` goes into call_ended.
  void end(const std::string& reason);
  // The door opened by DTMF keyed by `extension`: an acknowledgement tone to the resident side (in a conference, to
  // that resident only: mixed into what it hears, the others keep hearing the conference).
  void play_acknowledgement(const std::string& extension);

  Id id() const { return id_; }
  const std::string& door() const { return door_.door; }
  bool extension_call() const { return kind_ == Kind::extension; }
  // True while `extension` talks in this call (one of its legs is answered).
  bool talking(const std::string& extension) const;
  State state() const { return state_; }
  CallInfo info() const;
  std::string dump() const;

 private:
  enum class Role { door, member, resident };  // extension calls: the callee has Role::door, the caller resident
  enum class Kind { door, extension };
  struct Leg {
    sip::ua::CallLeg* sip = nullptr;  // null once the leg is over
    sip::ua::CallLeg::Id id = 0;
    Role role = Role::member;
    std::string extension;
    std::size_t member_index = 0;     // sequential ringing: whose turn this leg belongs to
    std::optional<sdp::SessionDescription> offer;  // what we offered (outgoing legs)
    media::Side side = media::Side::b;
    bool answered = false;
    std::optional<sdp::NegotiatedMedia> media;  // what was agreed with this leg's peer
    int sdp_version = 1;                        // o= version of our last SDP to it
    std::string remote_version;                 // o= version of its last SDP to us (unchanged = no new offer)
    std::uint16_t room_port = 0;                // its ConferenceRoom port once in a conference
  };
  // A re-INVITE passed through: `from` offered, we re-INVITEd `to` and wait for its answer.
  struct Reoffer {
    sip::ua::CallLeg::Id from = 0;
    sip::ua::CallLeg::Id to = 0;
    sdp::SessionDescription offer;  // what `from` offered
  };

  // CallLeg::Listener
  void on_leg_answered(sip::ua::CallLeg& leg, const sip::ua::Body& answer) override;
  void on_leg_failed(sip::ua::CallLeg& leg, int status, std::string_view reason) override;
  void on_leg_ended(sip::ua::CallLeg& leg, sip::ua::EndReason why) override;
  // A re-INVITE with a changed offer (hold, resume, new address) from one leg of a bridged two-party call goes on to
  // the other leg (door_call_reinvite.cpp); everything else is answered locally by on_leg_offer.
  bool on_leg_reoffer(sip::ua::CallLeg& leg, const sip::ua::Body& offer) override;
  std::optional<sip::ua::Body> on_leg_offer(sip::ua::CallLeg& leg, const sip::ua::Body& offer) override;
  void on_leg_info(sip::ua::CallLeg& leg, const sip::ua::Body& body) override;
  void on_leg_reinvite_result(sip::ua::CallLeg& leg, int status, const sip::ua::Body* answer) override;
  // MediaRelayListener
  void on_relay_idle(media::MediaRelay& relay) override;
  void on_relay_dtmf(media::MediaRelay& relay, media::Side from, char digit, std::chrono::milliseconds d) override;
  void on_relay_playback_done(media::MediaRelay& relay, media::Side to) override;
  // ConferenceRoom::Listener: RFC 4733 digits of a participant (a resident's count towards the door code)
  void on_room_dtmf(media::ConferenceRoom& room, media::ConferenceRoom::ParticipantId id, char digit,
                    std::chrono::milliseconds length) override;

  static Leg make_leg(sip::ua::CallLeg& sip, Role role, std::string extension, media::Side side);
  Leg* find(sip::ua::CallLeg::Id id);
  std::optional<sip::ua::Body> take_offer(Leg& leg, const sip::ua::IncomingCall& call, media::Side side);
  sdp::LocalMedia local(media::Side s) const;
  // Offers to `member`'s targets (registered contacts, else browser phones) on side `side`; returns how many legs
  // were started.
  std::size_t invite(const std::string& member, Role role, media::Side side, std::size_t member_index);
  bool ring_for_caller(sip::ua::CallLeg& leg, const sip::ua::IncomingCall& call, const std::string& callee,
                       const std::vector<sip::ua::CallLegs::Target>& targets, const char* unavailable);
  std::size_t invite_targets(const std::string& member, const std::vector<sip::ua::CallLegs::Target>& targets,
                             Role role, media::Side side, std::size_t member_index);
  void ring_group();
  void ring_member(std::size_t index);
  void on_member_timeout();
  void on_ring_timeout();
  void on_member_answered(Leg& leg);
  void on_leg_gone(Leg& leg);
  void cancel_members(sip::ua::CallLeg::Id except);
  void cancel_station_forks(sip::ua::CallLeg::Id except);
  bool members_ringing(std::optional<std::size_t> turn) const;
  void nobody_answered();
  void on_resident_digit(char digit, const std::string& extension);
  // Extension calls: a dtmf-relay INFO from one side goes on to the other side's answered leg.
  void forward_info(const Leg& from, const sip::ua::Body& body);
  // The answered leg on the other relay side of `leg` (bridged two-party calls), null when there is none.
  Leg* bridged_peer(const Leg& leg);
  void finish_reoffer(Leg& to, int status, const sip::ua::Body* answer);
  void remember_remote(Leg& leg, const std::string& sdp_body);
  void on_callee_answered(Leg& callee, Leg& caller);
  void play_silence();
  const char* role_name(Role r) const;
  bool conference_mode() const { return group_ && group_->answer == AnswerMode::conference; }
  // A second resident answered a conference group: door and residents move from the relay to a ConferenceRoom
  // (each re-INVITEd to its own room port). False (and `joiner` hung up) when the room cannot be had.
  bool join_conference(Leg& joiner);
  bool add_to_room(Leg& leg);
  sdp::LocalMedia room_media(const Leg& leg) const;
  void leave_conference(Leg& leg);
  void start_visitor_message();
  void start_recording();
  void on_message_timer();
  void finish_recording();
  void start_ringback();
  void start_call_limit();
  void on_call_limit();
  void set_state(State s);
  void emit(access::EventType type, const std::string& actor, std::string detail);
  media::G711Law law(media::Side s) const;
  // Arms one of the call's timers (replacing its previous deadline); `fn` runs on the io thread when it fires.
  void arm(access::Timer& timer, std::chrono::milliseconds after, void (DoorCall::*fn)());

  Intercom& owner_;
  Id id_;
  Kind kind_ = Kind::door;
  std::string caller_display_;  // extension calls: the caller's display name, shown to the callee
  DoorCallSettings door_;
  std::optional<RingGroup> group_;
  media::MediaEngine* engine_ = nullptr;
  std::unique_ptr<media::MediaRelay> relay_;
  std::unique_ptr<media::ConferenceRoom> room_;
  std::optional<Reoffer> reoffer_;  // at most one re-INVITE passed through at a time  // conference answer: replaces the relay once a second one answers
  std::deque<Leg> legs_;  // references stay valid while legs are added
  std::optional<sdp::NegotiatedMedia> media_[2];  // per relay side
  State state_ = State::ringing;
  std::string answered_by_;
  sip::ua::Body pending_answer_;  // to the resident who called the station, sent when it answers
  int last_failure_ = 0;
  std::size_t member_turn_ = 0;
  Clock::SystemTime started_{};
  Clock::SteadyTime started_steady_{};
  std::optional<Clock::SteadyTime> answered_at_;
  std::unique_ptr<media::Recorder> recorder_;
  // Owned timers from the Intercom's access::TimerFactory (asio in the app, FakeTimers in tests); destroying one
  // cancels it, so a destroyed call never runs a callback.
  std::unique_ptr<access::Timer> ring_timer_;
  std::unique_ptr<access::Timer> member_timer_;
  std::unique_ptr<access::Timer> limit_timer_;
  std::unique_ptr<access::Timer> message_timer_;
};

const char* to_string(DoorCall::State s);

// What SIP legs are offered: the configured codecs (by priority) that the relay can bridge between two legs, i.e.
// PCMU and PCMA (converted per sample when the legs differ) and telephone-event (renumbered). When no G.711 codec is
// configured, everything configured (such legs are passed through and must agree).
std::vector<sdp::CodecPreference> bridgeable_codecs(const std::vector<sdp::CodecPreference>& configured);
// The G.711 law of an agreed stream (PCMA -> A-law; anything else, or nothing agreed yet, µ-law).
media::G711Law law_of(const std::optional<sdp::NegotiatedMedia>& m);

}  // namespace portier::intercom
