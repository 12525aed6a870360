#pragma once
// What the browser-phone routes (/api/webrtc/...) need from the WebRTC gateway. Implemented by the app over
// intercom::BrowserPhones, so that routes stay free of SIP, media and WebRTC types. Every call names the user making
// it: a session belongs to the user who created it, and other users (admins included, except for sessions()) get
// errc::unknown_session for it. Event-loop thread only.
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace portier::api {

enum class webrtc_errc {
  disabled = 1,       // features.webrtc.enabled is false -> 503
  unknown_session,    // no such session, or not the caller's -> 404
  bad_request,        // malformed SDP or candidate, bad digit, ... -> 400 (message says why)
  no_common_codec,    // -> 488-like: 400 with the reason
  unknown_extension,  // call target that does not exist -> 404
  busy,               // a call is already in progress on this session, or the target is busy -> 409
  no_call,            // answer/decline/hangup/dtmf without a (matching) call -> 409
  not_ready,          // call before offer/answer, or media not connected -> 409
  unavailable,        // ports exhausted, SIP failure -> 503
};
const std::error_category& webrtc_category();
inline std::error_code make_error_code(webrtc_errc e) { return {static_cast<int>(e), webrtc_category()}; }

struct WebRtcSessionView {
  std::string session_id;          // 128-bit random, UUID text
  std::string extension;           // as given when created (the guide's "extension")
  std::string peer_connection_id;  // changes with every accepted offer
  std::string state;               // new | connecting | connected | ringing | calling | in_call | failed | closed
  Clock::SystemTime created_at{};
  Clock::SystemTime last_activity{};
  std::string user;     // owner (web user name)
  std::string call_id;  // the current call, "" when none
};

struct IceServerView {
  std::vector<std::string> urls;
  std::string username;    // TURN only
  std::string credential;  // TURN only
};

// What the browser needs to set itself up (GET /api/webrtc/config and the session response).
struct WebRtcClientConfig {
  std::vector<IceServerView> ice_servers;
  std::string ice_transport_policy = "all";
  bool verbose_logging = false;
  std::string dtmf_mode = "RFC2833";  // RFC2833 | SIP_INFO | INBAND
  int dtmf_duration_ms = 160;
  bool echo_cancellation = true;
  bool noise_reduction = true;
  bool auto_gain_control = true;
  int session_timeout_s = 3600;
};

// A phone event for one user's browser: incoming call, call progress, end. Sent on the event WebSocket to that
// user's connections only, as {"type":"webrtc", ...these fields}; not stored in the history.
struct WebRtcPhoneEvent {
  std::string user;
  std::string session_id;
  std::string call_id;
  std::string state;   // incoming | ringing | answered | ended
  std::string reason;  // ended: hangup | declined | busy | no_answer | failed | cancelled | timeout
  std::string peer;    // the other party: extension or door name
  std::string door;    // door id for door calls, "" otherwise
  std::string snapshot_url;  // door camera snapshot when there is one
};

class WebRtcControl {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_webrtc_event(const WebRtcPhoneEvent& event) = 0;
  };
  virtual ~WebRtcControl() = default;
  virtual void set_listener(Listener* listener) = 0;
  virtual WebRtcClientConfig client_config() const = 0;

  // POST /api/webrtc/session. `extension` may be empty (then the user's browser phone, webrtc:<user>).
  virtual Result<WebRtcSessionView> create_session(const std::string& user, const std::string& extension,
                                                   const std::string& client_ip) = 0;
  // POST /api/webrtc/offer -> the SDP answer.
  virtual Result<std::string> offer(const std::string& user, const std::string& session_id, const std::string& sdp) = 0;
  // POST /api/webrtc/candidate (trickle ICE); an empty candidate means end of candidates.
  virtual Result<void> add_candidate(const std::string& user, const std::string& session_id,
                                     const std::string& candidate, const std::string& sdp_mid,
                                     int sdp_mline_index) = 0;
  // POST /api/webrtc/call -> call_id.
  virtual Result<std::string> call(const std::string& user, const std::string& session_id,
                                   const std::string& target_extension) = 0;
  // POST /api/webrtc/answer, /decline (an incoming call), /hangup (whatever call the session has).
  virtual Result<void> answer(const std::string& user, const std::string& session_id, const std::string& call_id) = 0;
  virtual Result<void> decline(const std::string& user, const std::string& session_id, const std::string& call_id) = 0;
  virtual Result<void> hangup(const std::string& user, const std::string& session_id) = 0;
  // POST /api/webrtc/dtmf: digits 0-9 * # A-D, sent the configured way (RFC 4733 or SIP INFO).
  virtual Result<void> dtmf(const std::string& user, const std::string& session_id, const std::string& digits) = 0;
  // DELETE /api/webrtc/session/{id}.
  virtual Result<void> close_session(const std::string& user, const std::string& session_id) = 0;
  // GET /api/webrtc/sessions: the user's sessions; every session when `all` (admins).
  virtual std::vector<WebRtcSessionView> sessions(const std::string& user, bool all) const = 0;
};

}  // namespace portier::api

template <>
struct std::is_error_code_enum<portier::api::webrtc_errc> : std::true_type {};
