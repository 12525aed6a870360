#pragma once
// The intercom use case: decides what an INVITE means (a door station dialling its ring group, a resident dialling
// a door station) and what a call button press starts, owns the DoorCalls, checks DTMF door codes (one matcher per
// door, so a lockout spans calls) and opens doors through access::DoorService. Implements sip::ua::InviteHandler.
// Borrows (all must outlive it): io_context, Clock, SipServer, MediaEngine, DoorService and the event listener
// (the app's event stream). io_context thread only.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "access/door_service.hpp"
#include "intercom/door_call.hpp"
#include "intercom/dtmf_code_matcher.hpp"
#include "intercom/intercom_config.hpp"
#include "media/media_engine.hpp"
#include "sip/ua/invite_handler.hpp"
#include "sip/ua/sip_server.hpp"

namespace spdlog {
class logger;
}

namespace portier::intercom {

class Intercom final : public sip::ua::InviteHandler {
 public:
  Intercom(boost::asio::io_context& io, const Clock& clock, sip::ua::SipServer& sip, media::MediaEngine& media,
           access::DoorService& doors, access::DoorService::Listener& events, std::vector<RingGroup> groups,
           std::vector<DoorCallSettings> doors_settings, IntercomOptions options);
  ~Intercom() override;

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
  sip::ua::SipServer& sip() { return sip_; }
  const IntercomOptions& options() const { return options_; }
  spdlog::logger& log() { return *log_; }
  void publish(const access::Event& e) { events_.on_door_event(e); }
  void on_call_finished(DoorCall& call);
  void on_call_dtmf(DoorCall& call, const std::string& extension, char digit);

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
  sip::ua::SipServer& sip_;
  media::MediaEngine& media_;
  access::DoorService& doors_;
  access::DoorService::Listener& events_;
  std::vector<RingGroup> groups_;
  std::vector<DoorCallSettings> door_settings_;
  IntercomOptions options_;
  std::map<std::string, DtmfCodeMatcher> matchers_;  // door id -> its code
  std::map<DoorCall::Id, std::unique_ptr<DoorCall>> calls_;
  DoorCall::Id next_id_ = 1;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace portier::intercom
