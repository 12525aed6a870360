#pragma once
// The intercom use case: decides what an INVITE means (a door station dialling its ring group, a resident dialling
// a door station, anyone authenticated dialling another extension or a browser phone) and what a call button press
// starts, owns the DoorCalls, checks DTMF door codes (one matcher per
// door, so a lockout spans calls) and opens doors through access::DoorService. Implements sip::ua::InviteHandler.
// Borrows (all must outlive it): io_context, Clock, TimerFactory (the calls' ring/member/limit/message timers),
// SipServer, MediaEngine, DoorService, the event listener (the app's event stream) and the MemberResolver when one
// is set. io_context thread only.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "access/door_service.hpp"
#include "access/timer_factory.hpp"
#include "intercom/door_call.hpp"
#include "intercom/dtmf_code_matcher.hpp"
#include "intercom/intercom_config.hpp"
#include "intercom/member_resolver.hpp"
#include "media/media_engine.hpp"
#include "sip/ua/invite_handler.hpp"
#include "sip/ua/sip_server.hpp"

namespace spdlog {
class logger;
}

namespace portier::intercom {

class Intercom final : public sip::ua::InviteHandler {
 public:
  // `timers` runs on `io` in the app (device::AsioTimerFactory); tests pass access::FakeTimers on the same FakeClock
  // as `clock`, so ring, member and call-limit timeouts are tested without sleeping.
  Intercom(boost::asio::io_context& io, const Clock& clock, access::TimerFactory& timers, sip::ua::SipServer& sip,
           media::MediaEngine& media,
           access::DoorService& doors, access::DoorService::Listener& events, std::vector<RingGroup> groups,
           std::vector<DoorCallSettings> doors_settings, IntercomOptions options);
  ~Intercom() override;

  // Browser phones (ring-group members "webrtc:<user>", dialled "webrtc-<user>"); null: they are skipped.
  void set_member_resolver(MemberResolver* resolver) { resolver_ = resolver; }

  void on_incoming_call(sip::ua::CallLeg& leg, const sip::ua::IncomingCall& call) override;
  // A door's call button rang (the `ring` event of access::DoorService).
  void on_door_ring(const std::string& door);

  std::vector<CallInfo> calls() const;
  // Ends a call (admin hang-up). False when there is no such call.
  bool hangup(DoorCall::Id id);
  std::string dump() const;

 private:
  friend class DoorCall;

  // Services for the calls.
  boost::asio::io_context& io() { return io_; }
  const Clock& clock() const { return clock_; }
  access::TimerFactory& timers() { return timers_; }
  sip::ua::SipServer& sip() { return sip_; }
  const IntercomOptions& options() const { return options_; }
  spdlog::logger& log() { return *log_; }
  void publish(const access::Event& e) { events_.on_door_event(e); }
  void on_call_finished(DoorCall& call);
  void on_call_dtmf(DoorCall& call, const std::string& extension, char digit);
  // Where to ring `member`: its registered contacts, else (browser phones, extensions without a registered phone)
  // the resolver's targets.
  std::vector<sip::ua::CallLegs::Target> targets(const std::string& member);
  // The name a leg to `target` of `member` goes by: the resolver's who() for browser phones ("webrtc:alice" for a
  // target of "webrtc:*"), else the member itself.
  std::string member_name(const std::string& member, const sip::ua::CallLegs::Target& target) const;
  // A caller dialled `dialled`, which is no ring group and no door station: an extension call, or 404/480/486.
  void call_extension(sip::ua::CallLeg& leg, const sip::ua::IncomingCall& call, const std::string& dialled);
  bool extension_busy(const std::string& extension) const;

  const DoorCallSettings* door_where(const std::function<bool(const DoorCallSettings&)>& match) const;
  const DoorCallSettings* door_by_station(const std::string& extension) const;
  const DoorCallSettings* door_by_group(const std::string& group) const;
  const DoorCallSettings* door_by_id(const std::string& door) const;
  const RingGroup* group(const std::string& id) const;
  DoorCall* busy_call(const std::string& door);
  // A new call with its relay; null (the leg, if any, answered 503 and an alarm logged) when no ports are left.
  DoorCall* add_call(DoorCallSettings door, std::optional<RingGroup> group, sip::ua::CallLeg* leg);

  boost::asio::io_context& io_;
  const Clock& clock_;
  access::TimerFactory& timers_;
  sip::ua::SipServer& sip_;
  media::MediaEngine& media_;
  access::DoorService& doors_;
  access::DoorService::Listener& events_;
  std::vector<RingGroup> groups_;
  std::vector<DoorCallSettings> door_settings_;
  IntercomOptions options_;
  MemberResolver* resolver_ = nullptr;
  std::map<std::string, DtmfCodeMatcher> matchers_;  // door id -> its code
  std::map<DoorCall::Id, std::unique_ptr<DoorCall>> calls_;
  DoorCall::Id next_id_ = 1;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace portier::intercom
