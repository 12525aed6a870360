#pragma once
// A browser stand-in for tests and benches (library portier_webrtc_loopback, used by tests/unit/webrtc and the
// bench/webrtc load client): the offering side of a WebRTC transport, built from Portier's own pieces (STUN
// MessageBuilder, IceCredentials/hmac_sha1, DtlsTransport, SrtpSession) on a loopback UDP socket of the same
// io_context. It writes a Chromium-like offer, reads the answer, sends ICE checks with USE-CANDIDATE (and keeps
// sending them for consent unless told not to), answers the peer's own checks (a full ICE agent such as Janus sends
// them; ICE-lite Portier does not), runs the DTLS handshake (client for an answer with a=setup:passive, server for
// a=setup:active) and then exchanges SRTP/SRTCP. Everything it receives is kept for the test to inspect, unless
// Options::on_rtp is set (a bench counting packets without storing them).
//
// Ownership: the test owns the client; the client owns its socket, DTLS transport and SRTP sessions. io_context
// thread only (run the context from the test).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "webrtc/dtls/dtls_certificate.hpp"
#include "webrtc/dtls/dtls_transport.hpp"
#include "webrtc/ice/ice_credentials.hpp"
#include "webrtc/srtp/srtp_session.hpp"

namespace portier::webrtc::test {

class LoopbackClient final : private DtlsTransport::Listener {
 public:
  struct Options {
    std::vector<std::string> codecs{"opus", "PCMU", "PCMA"};  // offered, in this order
    bool wrong_integrity = false;       // sign ICE checks with a wrong password (the server must ignore them)
    bool wrong_fingerprint = false;     // put another certificate's fingerprint into the offer
    std::chrono::milliseconds check_interval{50};    // ICE check retransmission before the first response
    std::chrono::milliseconds consent_interval{500}; // consent checks afterwards
    std::string bind_address = "127.0.0.1";          // the client's socket (and its candidate)
    // Called for every decrypted RTP packet instead of storing it in rtp() (sequence as received, payload).
    std::function<void(std::uint16_t sequence, std::span<const std::uint8_t> payload)> on_rtp;
  };
  struct Received {
    std::uint8_t payload_type = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
    bool marker = false;
    std::vector<std::uint8_t> payload;
  };

  LoopbackClient(boost::asio::io_context& io, Options options);
  ~LoopbackClient() override;

  std::string offer() const;
  // Reads ICE credentials, candidate and fingerprint of the answer; false when something is missing.
  bool set_answer(const std::string& answer);
  // Starts ICE checks (then DTLS when a check is answered).
  void start();
  // Stops sending consent checks (the server's consent timer must expire).
  void stop_consent() { consent_ = false; }

  // RTP with our SSRC and running sequence; `timestamp` as given. False before SRTP is keyed.
  bool send_rtp(std::uint8_t pt, std::uint32_t timestamp, const std::vector<std::uint8_t>& payload,
                bool marker = false);
  bool send_rtcp(const std::vector<std::uint8_t>& plain);
  // A datagram as is (garbage, replay tests).
  void send_raw(const std::vector<std::uint8_t>& data);

  bool ice_answered() const { return ice_answered_; }
  bool connected() const { return srtp_out_ != nullptr; }
  bool dtls_failed() const { return dtls_failed_; }
  // When SRTP was keyed (the DTLS handshake finished); nullopt before.
  std::optional<std::chrono::steady_clock::time_point> connected_at() const { return connected_at_; }
  std::uint64_t checks_answered() const { return checks_answered_; }
  const std::vector<Received>& rtp() const { return rtp_; }
  const std::vector<std::vector<std::uint8_t>>& rtcp() const { return rtcp_; }
  std::uint64_t stun_responses() const { return stun_responses_; }
  std::uint64_t srtp_errors() const { return srtp_errors_; }
  std::uint32_t ssrc() const { return ssrc_; }
  std::uint16_t port() const { return socket_.local_endpoint().port(); }
  std::string dump() const;

 private:
  void on_dtls_send(std::span<const std::uint8_t> datagram) override;
  void on_dtls_connected(const SrtpKeys& keys) override;
  void on_dtls_failed(const std::string& reason) override;
  void do_receive();
  void on_datagram(std::size_t size);
  void send_check();
  void answer_check(std::span<const std::uint8_t> data);
  void start_dtls();
  void schedule_check();
  void arm_dtls_timer();

  boost::asio::io_context& io_;
  Options options_;
  boost::asio::ip::udp::socket socket_;
  boost::asio::ip::udp::endpoint from_;
  std::array<std::uint8_t, 4096> rx_{};
  std::shared_ptr<DtlsCertificate> certificate_;
  std::shared_ptr<DtlsCertificate> other_certificate_;  // for wrong_fingerprint
  IceCredentials local_;
  IceCredentials remote_;
  std::string remote_fingerprint_;
  boost::asio::ip::udp::endpoint server_;
  std::unique_ptr<DtlsTransport> dtls_;
  std::unique_ptr<SrtpSession> srtp_in_;
  std::unique_ptr<SrtpSession> srtp_out_;
  boost::asio::steady_timer check_timer_;
  boost::asio::steady_timer dtls_timer_;
  bool dtls_server_ = false;  // the answer said a=setup:active
  std::optional<std::chrono::steady_clock::time_point> connected_at_;
  std::uint64_t checks_answered_ = 0;
  bool ice_answered_ = false;
  bool consent_ = true;
  bool dtls_failed_ = false;
  std::uint32_t ssrc_ = 0x11223344;
  std::uint16_t seq_ = 1000;
  std::vector<Received> rtp_;
  std::vector<std::vector<std::uint8_t>> rtcp_;
  std::uint64_t stun_responses_ = 0;
  std::uint64_t srtp_errors_ = 0;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace portier::webrtc::test
