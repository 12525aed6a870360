#pragma once
// The browser-facing half of a WebRTC endpoint: one UDP socket carrying STUN, DTLS, SRTP and SRTCP, demultiplexed
// per RFC 7983. ICE-lite answers the browser's checks (IceLiteAgent), DTLS runs as server (DtlsTransport, we answer
// a=setup:passive), and the exported keys create one inbound and one outbound SrtpSession.
//
// What it guarantees: nothing but STUN responses and DTLS handshake records is sent before ICE nominated an
// address and DTLS is connected; DTLS and media are accepted only from addresses that passed a STUN check
// (knowledge of our ICE password); DTLS retransmission, the ICE consent check (RFC 7675) and the connect deadline
// run on steady_timers of the io_context (no threads).
//
// Ownership: the WebRtcEndpoint owns this transport (unique_ptr) and the socket (a media::PortLease): the endpoint
// is the socket's listener and hands browser datagrams in through on_datagram(). This transport owns the ICE agent,
// the DTLS transport and the SRTP sessions. Listener calls are synchronous; the listener must not destroy the
// transport from inside them (post it). io_context thread only. Packet handlers never throw.
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "media/rtp_socket.hpp"
#include "webrtc/dtls/dtls_certificate.hpp"
#include "webrtc/dtls/dtls_transport.hpp"
#include "webrtc/ice/ice_candidate.hpp"
#include "webrtc/ice/ice_credentials.hpp"
#include "webrtc/ice/ice_lite_agent.hpp"
#include "webrtc/srtp/srtp_session.hpp"

namespace portier::webrtc {

class WebRtcTransport final : private DtlsTransport::Listener {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // ICE nominated an address, DTLS is connected and both SRTP sessions are keyed.
    virtual void on_transport_connected(WebRtcTransport& t) = 0;
    // Final: DTLS error or fingerprint mismatch, consent lost, not connected within connect_timeout.
    virtual void on_transport_failed(WebRtcTransport& t, const std::string& reason) = 0;
    // Final: the browser ended DTLS with close_notify (it closed its peer connection) — a hang-up, not a failure.
    virtual void on_transport_closed(WebRtcTransport& t) { on_transport_failed(t, "DTLS closed by the browser"); }
    // Decrypted RTP / SRTCP-decrypted RTCP from the browser, in the engine's scratch buffer (writable; valid only
    // during the call).
    virtual void on_transport_rtp(WebRtcTransport& t, std::span<std::uint8_t> packet) = 0;
    virtual void on_transport_rtcp(WebRtcTransport& t, std::span<std::uint8_t> packet) = 0;
  };

  struct Options {
    std::chrono::milliseconds consent_timeout{30000};  // RFC 7675
    std::chrono::milliseconds connect_timeout{30000};  // ICE nomination + DTLS handshake from start()
    std::chrono::milliseconds tick_interval{500};      // consent / deadline check
    bool verbose = false;                              // "[VERBOSE] ..." lines on the "webrtc" logger
  };

  // What the browser's offer says about the transport.
  struct Remote {
    std::string ice_ufrag;
    std::string ice_pwd;
    std::string fingerprint_algorithm;  // "sha-256"
    std::string fingerprint;
    bool operator==(const Remote&) const = default;
  };

  enum class State { idle, connecting, connected, failed, closed };

  static constexpr std::size_t kMaxPacket = 1500;  // largest RTP/RTCP we protect and send

  // `socket` is borrowed (the endpoint's lease outlives this transport).
  WebRtcTransport(boost::asio::io_context& io, const Clock& clock, media::RtpSocket& socket,
                  std::shared_ptr<DtlsCertificate> certificate, IceCredentials local, Options options,
                  Listener& listener);
  ~WebRtcTransport() override;
  WebRtcTransport(const WebRtcTransport&) = delete;
  WebRtcTransport& operator=(const WebRtcTransport&) = delete;

  // Remote ICE credentials and DTLS fingerprint; starts the DTLS server and the timers. Once.
  void start(const Remote& remote);
  // ICE restart (new credentials on both sides, same DTLS fingerprint): a new ICE agent, while the DTLS association,
  // the SRTP keys and the selected address stay until the browser nominates again (RFC 8445 §9).
  void restart_ice(IceCredentials local, const Remote& remote);
  void add_remote_candidate(const IceCandidate& c);
  // A datagram that arrived on the socket (STUN, DTLS, SRTP or SRTCP). Never throws.
  void on_datagram(std::span<std::uint8_t> data, const media::Endpoint& from);
  // Protect and send to the nominated address. False (counted as dropped) before connected or when the packet is
  // too large / not protectable. Copies into the transport's own buffer: the input is not modified.
  bool send_rtp(std::span<const std::uint8_t> plain);
  bool send_rtcp(std::span<const std::uint8_t> plain);
  // DTLS close_notify when connected; timers stopped; no listener calls afterwards.
  void close();

  State state() const { return state_; }
  const Remote& remote() const { return remote_; }
  const IceCredentials& local_credentials() const { return ice_->local(); }
  std::optional<media::Endpoint> selected() const { return selected_; }
  const std::string& failure() const { return failure_; }

  struct Counters {
    std::uint64_t stun_in = 0, dtls_in = 0, rtp_in = 0, rtcp_in = 0, rtp_out = 0, rtcp_out = 0;
    std::uint64_t srtp_errors = 0;     // unprotect failures (auth, replay) and protect failures
    std::uint64_t unvalidated = 0;     // DTLS/SRTP from an address that passed no STUN check
    std::uint64_t unknown = 0;         // neither STUN, DTLS, RTP nor RTCP
    std::uint64_t not_connected = 0;   // media received or to send before SRTP is keyed
  };
  const Counters& counters() const { return counters_; }
  std::string dump() const;

  // Host candidates for `port`: the announced address when given; else the bind address unless it is a wildcard;
  // else every IPv4 interface address (loopback last, with a lower local preference).
  static std::vector<IceCandidate> host_candidates(const boost::asio::ip::address& bind_address,
                                                   const std::optional<boost::asio::ip::address>& announced,
                                                   std::uint16_t port);

 private:
  // DtlsTransport::Listener
  void on_dtls_send(std::span<const std::uint8_t> datagram) override;
  void on_dtls_connected(const SrtpKeys& keys) override;
  void on_dtls_failed(const std::string& reason) override;
  void on_dtls_closed() override;

  void on_stun(std::span<std::uint8_t> data, const media::Endpoint& from);
  void on_dtls(std::span<std::uint8_t> data, const media::Endpoint& from);
  void on_srtp(std::span<std::uint8_t> data, const media::Endpoint& from, bool rtcp);
  bool validated(const media::Endpoint& from) const;
  void maybe_connected();
  void fail(const std::string& reason);
  bool send_protected(std::span<const std::uint8_t> plain, bool rtcp);
  void arm_dtls_timer();
  void schedule_tick();
  void on_tick();
  template <class... Args>
  void verbose(const char* fmt, Args&&... args) const;

  boost::asio::io_context& io_;
  const Clock& clock_;
  media::RtpSocket& socket_;  // borrowed from the endpoint's PortLease
  Options options_;
  Listener& listener_;
  std::unique_ptr<IceLiteAgent> ice_;  // replaced by restart_ice()
  std::uint16_t port_;                  // the socket's, for dump() after the socket is gone
  std::unique_ptr<DtlsTransport> dtls_;
  std::unique_ptr<SrtpSession> srtp_in_;
  std::unique_ptr<SrtpSession> srtp_out_;
  Remote remote_;
  State state_ = State::idle;
  std::string failure_;
  std::vector<media::Endpoint> validated_;  // addresses that passed a STUN check (at most kMaxValidated)
  std::optional<media::Endpoint> dtls_peer_;  // where the DTLS client writes from
  std::optional<media::Endpoint> selected_;   // the latest nominated address: where media goes
  bool restarting_ = false;                   // an ICE restart waits for its first nomination
  Clock::SteadyTime deadline_{};
  boost::asio::steady_timer dtls_timer_;
  boost::asio::steady_timer tick_timer_;
  std::array<std::uint8_t, kMaxPacket + SrtpSession::kMaxTrailer> tx_{};
  Counters counters_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);  // timer handlers hold a weak_ptr to it
  static constexpr std::size_t kMaxValidated = 8;
};

std::string_view to_string(WebRtcTransport::State s);

}  // namespace portier::webrtc
