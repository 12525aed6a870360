#pragma once
// The WebRTC browser-phone gateway (issue #8). Browser phones are SIP phones to the rest of Portier: the gateway is
// an in-process SIP user agent (a second sip::ua::SipServer on its own loopback UDP port, trusted by the main SIP
// server) and every browser session is one SIP contact of it. So ring groups ("webrtc:<user>" members, resolved
// here as a MemberResolver), conference answer, DTMF door codes and visitor messages work for browsers exactly as
// for desk phones, and a browser calls any extension by INVITEing the main server. Media: each session's
// webrtc::WebRtcEndpoint turns the browser's SRTP into plain RTP on a loopback port pair that the B2BUA relays.
// Owns: the gateway SIP server, the sessions. Borrows (must outlive it): io_context, Clock, the main SipServer, the
// MediaEngine the endpoints take ports from, the DTLS certificate (shared). io_context thread only.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "intercom/browser_phone_error.hpp"
#include "intercom/browser_phone_session.hpp"
#include "intercom/member_resolver.hpp"
#include "media/media_engine.hpp"
#include "sip/ua/in_memory_binding_store.hpp"
#include "sip/ua/in_memory_extension_directory.hpp"
#include "sip/ua/invite_handler.hpp"
#include "sip/ua/sip_server.hpp"
#include "webrtc/dtls/dtls_certificate.hpp"
#include "webrtc/webrtc_endpoint.hpp"

namespace spdlog {
class logger;
}

namespace portier::intercom {

// A phone event for one user's browsers (incoming call, progress, end).
struct PhoneEvent {
  std::string user;
  std::string session_id;
  std::string call_id;
  std::string state;   // incoming | ringing | answered | ended
  std::string reason;  // ended: hangup | declined | busy | no_answer | not_found | failed | cancelled | timeout
  std::string peer;
  std::string door;
  std::string snapshot_url;
};

class BrowserPhones final : public MemberResolver, private sip::ua::InviteHandler {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_phone_event(const PhoneEvent& event) = 0;
  };

  struct Options {
    bool verbose = false;                          // features.webrtc.verbose_logging: "[VERBOSE] ..." lines
    std::chrono::seconds session_timeout{3600};    // idle sessions (no request, no call) are closed
    webrtc::EndpointOptions endpoint;              // codecs, telephone-event, ptime, consent, announced address
    std::string dtmf_mode = "RFC2833";             // RFC2833 | SIP_INFO | INBAND (sent as RFC 4733)
    bool sip_info_fallback = true;                 // SIP INFO when the call has no telephone-event
    std::chrono::milliseconds dtmf_duration{160};
    std::string media_address = "127.0.0.1";       // our SIP-side RTP address in SDP (the engine's bind address)
    std::string domain = "portier.local";          // sip.domain
    std::map<std::string, std::string> doors;      // door id -> name: an INVITE whose From display is a door id is
                                                   // that door's call (the browser shows the name)
    std::size_t max_sessions_per_user = 8;
    std::size_t max_sessions = 500;
  };

  BrowserPhones(boost::asio::io_context& io, const Clock& clock, sip::ua::SipServer& main_sip,
                media::MediaEngine& engine, std::shared_ptr<webrtc::DtlsCertificate> certificate, Options options);
  ~BrowserPhones() override;
  BrowserPhones(const BrowserPhones&) = delete;
  BrowserPhones& operator=(const BrowserPhones&) = delete;

  // Starts the gateway SIP server on 127.0.0.1 (random port) and makes the main server trust it. Throws
  // std::runtime_error when the main server has no UDP listener to reach.
  void start();
  void stop();
  void set_listener(Listener* listener) { listener_ = listener; }

  Result<PhoneSessionInfo> create_session(const std::string& user, const std::string& extension,
                                          const std::string& client_ip);
  Result<std::string> offer(const std::string& user, const std::string& session_id, const std::string& sdp);
  Status add_candidate(const std::string& user, const std::string& session_id, const std::string& candidate);
  Result<std::string> call(const std::string& user, const std::string& session_id, const std::string& target);
  Status answer(const std::string& user, const std::string& session_id, const std::string& call_id);
  Status decline(const std::string& user, const std::string& session_id, const std::string& call_id);
  Status hangup(const std::string& user, const std::string& session_id);
  Status dtmf(const std::string& user, const std::string& session_id, const std::string& digits);
  Status close_session(const std::string& user, const std::string& session_id);
  std::vector<PhoneSessionInfo> sessions(const std::string& user, bool all) const;
  const Options& options() const { return options_; }

  // MemberResolver: "webrtc:alice" / "webrtc-alice" -> the contacts of alice's open sessions without a call.
  std::vector<sip::ua::CallLegs::Target> targets(const std::string& member) override;
  // "webrtc:<user>" of the session behind one of our targets.
  std::string who(const sip::ua::CallLegs::Target& target) const override;

  // Closes sessions idle for session_timeout; the internal timer calls it every min(10 s, session_timeout / 2)
  // (tests may call it).
  void sweep();
  std::string dump() const;

 private:
  friend class BrowserPhoneSession;

  // Services for the sessions.
  boost::asio::io_context& io() { return io_; }
  const Clock& clock() const { return clock_; }
  spdlog::logger& log() { return *log_; }
  bool verbose() const { return options_.verbose; }
  media::MediaEngine& engine() { return engine_; }
  const std::shared_ptr<webrtc::DtlsCertificate>& certificate() const { return certificate_; }
  sip::ua::CallLegs& legs() { return gateway_->calls(); }
  // Where our INVITEs go: the main server's UDP listener.
  sip::ua::CallLegs::Target main_target(const std::string& user) const;
  std::size_t registered_contacts(const std::string& extension) const;
  void publish(const PhoneEvent& e);
  // Destroys a closed session later (never inside one of its callbacks).
  void reap(const std::string& session_id);

  void on_incoming_call(sip::ua::CallLeg& leg, const sip::ua::IncomingCall& call) override;
  Result<BrowserPhoneSession*> find(const std::string& user, const std::string& session_id);
  void schedule_sweep();

  boost::asio::io_context& io_;
  const Clock& clock_;
  sip::ua::SipServer& main_sip_;
  media::MediaEngine& engine_;
  std::shared_ptr<webrtc::DtlsCertificate> certificate_;
  Options options_;
  Listener* listener_ = nullptr;
  sip::ua::InMemoryExtensionDirectory directory_;  // empty: the gateway registers nobody
  sip::ua::InMemoryBindingStore bindings_;
  std::unique_ptr<sip::ua::SipServer> gateway_;
  sip::txn::Peer main_peer_;           // the main server's UDP listener, as the gateway reaches it
  std::size_t main_udp_index_ = 0;     // index of that listener in the main server (for targets())
  std::string gateway_address_;        // our SIP socket, as the main server reaches it
  std::uint16_t gateway_port_ = 0;
  std::map<std::string, std::unique_ptr<BrowserPhoneSession>> sessions_;
  boost::asio::steady_timer sweep_timer_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace portier::intercom
