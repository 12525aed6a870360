#pragma once
// One browser call's media: the gateway between a browser (ICE-lite + DTLS-SRTP on one UDP port, see
// WebRtcTransport) and the SIP side (a plain RTP/RTCP port pair facing the B2BUA's relay, on loopback).
//
// Media rules. Same codec on both sides: pass-through (payload type rewritten when the numbers differ; the
// browser's telephone-event PT becomes the SIP side's and back). PCMU <-> PCMA: per-sample conversion. Opus on the
// browser side: decode 48 kHz, resample to 8 kHz, G.711 encode, and the reverse in 20 ms packets. Each direction
// leaves with our own SSRC/sequence/timestamps (rtp::StreamRewriter), so a source change on either side (prompt,
// transfer) stays one stream and the SSRC announced in our answer is the one the browser sees. RTCP: SRTCP from the
// browser is decrypted and forwarded to the SIP side, RTCP from the SIP side is protected and sent to the browser;
// while the SIP side sends none, the browser gets a receiver report every 5 s. Nothing goes to the browser before
// ICE nominated an address and DTLS is connected.
//
// Ownership: the intercom owns each endpoint (unique_ptr). The endpoint owns both port leases (the browser-facing
// socket is the RTP socket of one lease, the SIP side the other), the transport, the transcoders and its timers;
// the MediaEngine and the certificate must outlive it. io_context thread only; packet handlers never throw; the hot
// path does not allocate.
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/result.hpp"
#include "media/media_engine.hpp"
#include "media/media_relay.hpp"
#include "media/rtp_socket.hpp"
#include "rtp/stream_rewriter.hpp"
#include "rtp/telephone_event.hpp"
#include "webrtc/audio_transcoder.hpp"
#include "webrtc/dtls/dtls_certificate.hpp"
#include "webrtc/receiver_report.hpp"
#include "webrtc/webrtc_sdp.hpp"
#include "webrtc/webrtc_transport.hpp"

namespace portier::webrtc {

struct EndpointOptions {
  std::vector<std::string> codecs{"PCMU", "PCMA"};  // browser-side preference by priority: "PCMU", "PCMA", "opus"
  int sip_telephone_event_pt = 101;                 // RFC 4733 PT on the SIP side
  int ptime = 20;
  std::optional<boost::asio::ip::address> announced_address;  // candidate address (server behind 1:1 NAT)
  std::chrono::milliseconds consent_timeout{30000};
  bool comfort_noise = false;  // answer CN (PT 13) when the browser offers it
  bool voice_activity_detection = false;  // Opus: answer usedtx=1 (the browser stops sending during silence)
  bool verbose = false;        // log "[VERBOSE] ..." lines (spdlog logger "webrtc") for every step
  // Not part of the intercom's contract; tests shorten them.
  std::chrono::milliseconds connect_timeout{30000};  // ICE nomination + DTLS from accept_offer
  std::chrono::milliseconds receiver_report_interval{5000};
};

enum class SipCodec { pcmu, pcma };

class WebRtcEndpoint final : private media::RtpSocket::Listener, private WebRtcTransport::Listener {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_endpoint_connected(WebRtcEndpoint& e) {}  // ICE nominated + DTLS done + SRTP keyed
    // DTLS error, fingerprint mismatch, consent lost (RFC 7675), no ICE within 30 s. May destroy the endpoint
    // only via io_context post.
    virtual void on_endpoint_failed(WebRtcEndpoint& e, const std::string& reason) = 0;
    // The browser closed its peer connection (DTLS close_notify): a hang-up, not a failure. Same rule as above.
    virtual void on_endpoint_closed(WebRtcEndpoint& e) { on_endpoint_failed(e, "DTLS closed by the browser"); }
  };

  // Binds the browser-facing UDP port and the SIP-facing RTP/RTCP pair from the engine's port range
  // (media::errc::port_range_exhausted when none is left). Browser-facing port: same bind address as the engine.
  static Result<std::unique_ptr<WebRtcEndpoint>> create(media::MediaEngine& engine,
                                                        std::shared_ptr<DtlsCertificate> certificate,
                                                        EndpointOptions options, Listener& listener);
  ~WebRtcEndpoint() override;
  WebRtcEndpoint(const WebRtcEndpoint&) = delete;
  WebRtcEndpoint& operator=(const WebRtcEndpoint&) = delete;

  // Browser offer (SDP text) -> our answer (SDP text). Errors (webrtc errc, message says why, shown to the user):
  // malformed SDP, no audio, no ice-ufrag/pwd, no fingerprint, not UDP/TLS/RTP/SAVPF, no rtcp-mux, no common
  // codec, setup:passive offered (we only do passive). Candidates in the offer are used; a new offer (ICE restart /
  // renegotiation) on the same endpoint is accepted when the ICE/DTLS parameters are unchanged or creates new ones.
  Result<std::string> accept_offer(std::string_view offer_sdp);
  Status add_remote_candidate(std::string_view candidate);  // trickle; "" = end of candidates
  // After accept_offer: the codec the browser side uses ("PCMU", "PCMA" or "opus").
  const std::string& browser_codec() const { return browser_codec_; }
  // SIP side: RTP port to put in the SIP SDP (RTCP = +1), and where the SIP peer is after SIP offer/answer.
  std::uint16_t sip_port() const { return sip_port_; }
  void set_sip_remote(const media::LegRemote& remote, SipCodec codec);
  // RFC 4733 digit towards the SIP side (for DTMF typed on a keypad that does not use the browser's own sender).
  Status send_dtmf_to_sip(char digit, std::chrono::milliseconds duration);

  enum class State { idle, connecting, connected, failed, closed };
  State state() const { return state_; }
  struct Stats {
    std::uint64_t browser_rtp_in, browser_rtp_out, sip_rtp_in, sip_rtp_out, srtp_errors, dropped, transcoded;
  };
  Stats stats() const;
  void close();  // DTLS close_notify, sockets closed, ports back to the engine
  std::string dump() const;

  // For tests and the bench: the browser-facing port and the transport (null before the first offer).
  std::uint16_t browser_port() const { return browser_port_; }
  const WebRtcTransport* transport() const { return transport_.get(); }

 private:
  WebRtcEndpoint(media::MediaEngine& engine, std::shared_ptr<DtlsCertificate> certificate, EndpointOptions options,
                 Listener& listener, std::unique_ptr<media::PortLease> browser, std::unique_ptr<media::PortLease> sip);

  // media::RtpSocket::Listener: the browser socket and the SIP pair.
  void on_rtp_socket_datagram(media::RtpSocket& socket, std::span<std::uint8_t> data,
                              const media::Endpoint& from) override;
  // WebRtcTransport::Listener
  void on_transport_connected(WebRtcTransport& t) override;
  void on_transport_failed(WebRtcTransport& t, const std::string& reason) override;
  void on_transport_closed(WebRtcTransport& t) override;
  void on_transport_rtp(WebRtcTransport& t, std::span<std::uint8_t> packet) override;
  void on_transport_rtcp(WebRtcTransport& t, std::span<std::uint8_t> packet) override;

  Status start_transport(const WebRtcOffer& offer);
  void add_offer_candidates(const WebRtcOffer& offer);
  void configure_media();
  void on_sip_rtp(std::span<std::uint8_t> data, const media::Endpoint& from);
  void on_sip_rtcp(std::span<std::uint8_t> data, const media::Endpoint& from);
  bool sip_source_ok(const media::Endpoint& from, bool rtcp);
  void send_to_sip(std::span<const std::uint8_t> packet);
  // Rewrites to our outgoing stream (SSRC/sequence/timestamp) and sends, to the SIP side or to the browser.
  void emit(std::span<std::uint8_t> packet, bool to_sip);
  void emit_generated(const AudioTranscoder::Frame& f, std::uint8_t pt, bool marker, std::uint32_t source_ssrc,
                      bool to_sip);
  void forward_audio_to_sip(std::span<std::uint8_t> packet, const rtp::RtpView& h);
  void forward_audio_to_browser(std::span<std::uint8_t> packet, const rtp::RtpView& h);
  void forward_event(std::span<std::uint8_t> packet, const rtp::RtpView& h, bool to_sip);
  void schedule_report();
  void send_receiver_report();
  void start_next_dtmf();
  void send_dtmf_packet();
  void fail(const std::string& reason);
  template <class... Args>
  void verbose(const char* fmt, Args&&... args) const;

  media::MediaEngine& engine_;
  std::shared_ptr<DtlsCertificate> certificate_;  // shared by every endpoint of the process
  EndpointOptions options_;
  Listener& listener_;
  std::unique_ptr<media::PortLease> browser_ports_;  // its RTP socket faces the browser (its RTCP port is unused)
  std::unique_ptr<media::PortLease> sip_ports_;      // RTP/RTCP facing the B2BUA's relay
  std::uint16_t browser_port_;
  std::uint16_t sip_port_;
  std::unique_ptr<WebRtcTransport> transport_;  // created by the first offer, replaced when the fingerprint changes
  State state_ = State::idle;
  std::uint32_t session_version_ = 0;

  // Browser side, from the last accepted offer.
  std::optional<CodecChoice> choice_;
  std::string browser_codec_;
  AudioFormat browser_format_ = AudioFormat::pcmu;
  int browser_te_pt_ = -1;
  int browser_cn_pt_ = -1;

  // SIP side, from set_sip_remote().
  std::optional<media::Endpoint> sip_rtp_remote_;  // nullopt: latched from the first packet
  std::optional<media::Endpoint> sip_rtcp_remote_;
  bool sip_rtcp_mux_ = false;
  bool sip_configured_ = false;
  SipCodec sip_codec_ = SipCodec::pcmu;
  int sip_te_pt_ = 101;
  std::optional<std::uint32_t> sip_source_ssrc_;  // the SIP side's SSRC (RTCP sender rewrite)
  Clock::SteadyTime last_sip_rtcp_{};
  bool sip_sent_rtcp_ = false;

  // Outgoing streams, one SSRC each (the browser one is announced in the answer).
  std::optional<rtp::StreamRewriter> to_browser_;
  std::optional<rtp::StreamRewriter> to_sip_;
  Clock::SteadyTime last_to_browser_{};
  Clock::SteadyTime last_to_sip_{};
  std::uint32_t browser_ssrc_ = 0;
  std::uint32_t sip_ssrc_ = 0;
  std::uint16_t synthetic_seq_to_sip_ = 0;      // sequence of transcoded packets before the rewrite
  std::uint16_t synthetic_seq_to_browser_ = 0;
  std::uint64_t reports_sent_ = 0;
  std::unique_ptr<AudioTranscoder> to_sip_transcoder_;      // null: pass-through
  std::unique_ptr<AudioTranscoder> to_browser_transcoder_;  // null: pass-through
  ReceiverReport browser_stream_stats_;                     // what we receive from the browser, for our RRs
  std::array<std::uint8_t, WebRtcTransport::kMaxPacket> build_{};  // generated packets (transcoded, DTMF, RR)

  // RFC 4733 towards the SIP side.
  std::deque<std::pair<char, std::chrono::milliseconds>> dtmf_queue_;
  std::vector<rtp::PlannedEventPacket> dtmf_plan_;
  std::size_t dtmf_next_ = 0;
  std::uint32_t dtmf_timestamp_ = 0;
  Clock::SteadyTime dtmf_started_{};

  boost::asio::steady_timer report_timer_;
  boost::asio::steady_timer dtmf_timer_;
  Stats stats_{};
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);  // timer handlers hold a weak_ptr to it
};

std::string_view to_string(WebRtcEndpoint::State s);

}  // namespace portier::webrtc
