#pragma once
// One browser phone: the WebRTC session a web user opened (POST /api/webrtc/session), with at most one call at a
// time. Towards the browser it owns a webrtc::WebRtcEndpoint (ICE-lite, DTLS-SRTP), created for each SDP offer the
// browser sends between calls; towards the B2BUA it is a SIP phone: its call leg lives in the gateway's SIP server
// (sip::ua::CallLegs owns it; we hold it until on_leg_failed/on_leg_ended or until we hang it up). Outgoing calls
// are INVITEs to the main SIP server; incoming calls are INVITEs the main server sent to this session's contact
// (ring-group members "webrtc:<user>"), held ringing until the browser answers or declines.
// Owned by BrowserPhones (unique_ptr); tells it about events through BrowserPhones::publish(). io_context only.
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/steady_timer.hpp>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "sdp/offer_answer.hpp"
#include "sip/ua/call_leg.hpp"
#include "sip/ua/invite_handler.hpp"
#include "webrtc/webrtc_endpoint.hpp"

namespace portier::intercom {

class BrowserPhones;

struct PhoneSessionInfo {
  std::string session_id;
  std::string extension;
  std::string peer_connection_id;
  std::string state;
  Clock::SystemTime created_at{};
  Clock::SystemTime last_activity{};
  std::string user;
  std::string call_id;
};

class BrowserPhoneSession final : webrtc::WebRtcEndpoint::Listener, sip::ua::CallLeg::Listener {
 public:
  enum class State { fresh, connecting, connected, ringing, calling, in_call, failed, closed };

  BrowserPhoneSession(BrowserPhones& owner, std::string id, std::string user, std::string extension);
  ~BrowserPhoneSession() override;
  BrowserPhoneSession(const BrowserPhoneSession&) = delete;
  BrowserPhoneSession& operator=(const BrowserPhoneSession&) = delete;

  // The browser's SDP offer -> our answer. Between calls a new offer replaces the endpoint (a new peer connection);
  // during a call it renegotiates the current one.
  Result<std::string> offer(std::string_view sdp);
  Status add_candidate(std::string_view candidate);
  // An outgoing call to `target` (an extension, a door station, a ring group) through the main SIP server.
  Result<std::string> call(const std::string& target);
  Status answer(const std::string& call_id);
  Status decline(const std::string& call_id);
  Status hangup();
  Status dtmf(std::string_view digits);
  // The gateway's SIP server received an INVITE for this phone; `door` is the calling door's id ("" when none) and
  // `door_name` its name (what the browser shows as the caller).
  void on_incoming(sip::ua::CallLeg& leg, const sip::ua::IncomingCall& call, std::string door,
                   std::string door_name);
  // Ends the call (if any) and the endpoint; `reason` goes into the ended event.
  void close(const std::string& reason);

  const std::string& id() const { return id_; }
  const std::string& user() const { return user_; }
  // The user part of this phone's SIP contact (what the main server INVITEs for ring-group members).
  std::string contact_user() const { return "wrtc-" + id_; }
  bool has_call() const { return leg_ != nullptr || state_ == State::ringing || state_ == State::calling; }
  bool closed() const { return state_ == State::closed; }
  State state() const { return state_; }
  Clock::SteadyTime last_activity_steady() const { return last_activity_steady_; }
  void touch();
  PhoneSessionInfo info() const;
  std::string dump() const;

 private:
  // WebRtcEndpoint::Listener
  void on_endpoint_connected(webrtc::WebRtcEndpoint& e) override;
  void on_endpoint_failed(webrtc::WebRtcEndpoint& e, const std::string& reason) override;
  void on_endpoint_closed(webrtc::WebRtcEndpoint& e) override;
  // Ends the call and the endpoint outside the endpoint's callback; `reason` for the ended event.
  void drop_media(const std::string& reason, State after);
  // CallLeg::Listener
  void on_leg_provisional(sip::ua::CallLeg& leg, int status, const sip::ua::Body* body) override;
  void on_leg_answered(sip::ua::CallLeg& leg, const sip::ua::Body& answer) override;
  void on_leg_failed(sip::ua::CallLeg& leg, int status, std::string_view reason) override;
  void on_leg_ended(sip::ua::CallLeg& leg, sip::ua::EndReason why) override;
  std::optional<sip::ua::Body> on_leg_offer(sip::ua::CallLeg& leg, const sip::ua::Body& offer) override;

  sdp::LocalMedia sip_local() const;
  Status bridge(const sdp::NegotiatedMedia& media);
  // The call is over: forget the leg, release the endpoint, tell the browser.
  void end_call(const std::string& reason);
  void emit(const std::string& state, const std::string& reason = {});
  void send_next_digit();
  void set_state(State s);

  BrowserPhones& owner_;
  std::string id_;
  std::string user_;
  std::string extension_;
  std::string peer_connection_id_;
  State state_ = State::fresh;
  Clock::SystemTime created_at_{};
  Clock::SystemTime last_activity_{};
  Clock::SteadyTime last_activity_steady_{};
  std::unique_ptr<webrtc::WebRtcEndpoint> endpoint_;
  // The current call.
  sip::ua::CallLeg* leg_ = nullptr;
  std::string call_id_;
  std::string peer_;  // the other party (extension or door)
  std::string door_;
  std::string media_failure_;  // why the current endpoint failed (ICE/DTLS); cleared by the next offer
  std::optional<sdp::SessionDescription> sip_offer_;  // incoming: the INVITE's offer; outgoing: ours
  int sdp_version_ = 1;
  std::deque<char> digits_;
  boost::asio::steady_timer digit_timer_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);  // posted handlers hold a weak_ptr to it
};

const char* to_string(BrowserPhoneSession::State s);

}  // namespace portier::intercom
