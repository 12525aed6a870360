#pragma once
// A two-leg RTP/RTCP relay for one call (B2BUA media anchoring). Leg A faces the caller, leg B the callee; each
// has its own RTP/RTCP port pair, announced in that leg's SDP. What arrives on A is sent out of B's socket to B's
// peer and vice versa, byte for byte when both legs agreed on the same codec (the hot path: no decoding), with:
//   - codec bridging when they did not: PCMU <-> PCMA converted per sample in place (a 256-byte table), the audio
//     payload type and the RFC 4733 telephone-event payload type renumbered to what the receiving leg negotiated;
//   - symmetric RTP / latching per leg (SourceLatch): packets from anywhere else are dropped and counted;
//   - optional SSRC/sequence/timestamp rewriting of what a leg receives (set_rewrite), for when the other side
//     changes (transfer, forking, prompt then person); RTCP sender SSRCs follow;
//   - RFC 4733 detection (each digit reported once) and generation (send_dtmf);
//   - a tap per leg (recorder);
//   - an idle timer: no packet on either leg for rtp.idle_timeout -> Listener::on_relay_idle (end the call).
// The hot path neither allocates nor copies: the datagram is rewritten in the engine's scratch buffer and sent.
// Owned by the call (unique_ptr); created by MediaEngine, which must outlive it. io_context thread only.
#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "media/g711.hpp"
#include "media/media_engine.hpp"
#include "media/rtp_tap.hpp"
#include "media/source_latch.hpp"
#include "rtp/stream_rewriter.hpp"
#include "rtp/telephone_event.hpp"
#include "sdp/offer_answer.hpp"

namespace portier::media {

enum class Side : std::uint8_t { a = 0, b = 1 };
inline Side other(Side s) { return s == Side::a ? Side::b : Side::a; }
const char* to_string(Side s);

// What signalling says about a leg's peer.
struct LegRemote {
  std::optional<Endpoint> rtp;   // nullopt (or 0.0.0.0): not known, learnt by latching
  std::optional<Endpoint> rtcp;  // nullopt: RTP port + 1 (or the RTP port with rtcp_mux)
  bool rtcp_mux = false;
  int telephone_event_pt = -1;  // RFC 4733 payload type on this leg; -1 = none
  int audio_pt = -1;            // the agreed audio codec's payload type on this leg; -1 = unknown (no bridging)
  std::optional<G711Law> law;   // that codec when it is G.711; nullopt = anything else (passed through as is)
};
// From a negotiation result. errc::invalid_address when the SDP address is not an IP literal (we do not resolve
// host names on the media path).
Result<LegRemote> leg_remote_from(const sdp::NegotiatedMedia& media);

struct LegStats {
  std::uint64_t rtp_in = 0;   // accepted RTP packets received on this leg
  std::uint64_t rtp_out = 0;  // RTP packets sent to this leg's peer
  std::uint64_t rtcp_in = 0;
  std::uint64_t rtcp_out = 0;
  std::uint64_t dropped_source = 0;          // from an unexpected source (hijack attempt, stale peer)
  std::uint64_t dropped_malformed = 0;       // not RTP/RTCP
  std::uint64_t dropped_no_destination = 0;  // the other leg has no peer yet
  std::uint64_t send_errors = 0;
  std::uint64_t dtmf_detected = 0;
  std::uint64_t dtmf_sent = 0;
  std::uint64_t suppressed = 0;  // relayed packets not sent to this leg because a prompt was playing to it
  std::uint64_t transcoded = 0;  // audio packets converted to this leg's G.711 law (the legs' laws differ)
  std::uint64_t renumbered = 0;  // packets whose payload type was changed for this leg (telephone-event, audio)
};

class MediaRelayListener {
 public:
  virtual ~MediaRelayListener() = default;
  // No media for rtp.idle_timeout. The relay may be destroyed from inside this call.
  virtual void on_relay_idle(MediaRelay& relay) = 0;
  // A digit the peer of leg `from` sent as RFC 4733 events; once per key press. Do not destroy the relay from
  // inside this call (post the teardown to the io_context).
  virtual void on_relay_dtmf(MediaRelay& relay, Side from, char digit, std::chrono::milliseconds duration) {}
  // A play() to leg `to` finished (not called when it was stopped or replaced).
  virtual void on_relay_playback_done(MediaRelay& relay, Side to) {}
};

class MediaRelay final : private RtpSocket::Listener {
 public:
  using Listener = MediaRelayListener;

  MediaRelay(MediaEngine& engine, Listener& listener, std::unique_ptr<PortLease> a, std::unique_ptr<PortLease> b);
  ~MediaRelay() override;
  MediaRelay(const MediaRelay&) = delete;
  MediaRelay& operator=(const MediaRelay&) = delete;

  void start();
  void stop();

  // The RTP port to announce in leg `s`'s SDP (RTCP is port + 1).
  std::uint16_t local_port(Side s) const;
  // After each offer/answer on leg `s`: where its peer is. Reopens latching for that leg.
  void set_remote(Side s, const LegRemote& remote);
  // Rewrite SSRC/sequence/timestamp of everything sent to leg `s`, so that its peer sees one continuous stream.
  void set_rewrite(Side s, bool on);
  // Observe valid RTP received on leg `s` (null to remove). The tap must outlive the relay or be removed.
  void set_tap(Side s, RtpTap* tap);
  // Sends a digit to leg `s`'s peer as RFC 4733 events (queued behind digits in progress; at most 32 queued).
  // errc::no_destination without telephone-event on that leg or without a peer address; errc::busy when full.
  Status send_dtmf(Side s, char digit, std::chrono::milliseconds length = std::chrono::milliseconds(100));
  // Plays 8 kHz PCM (a prompt, a tone, a WAV) to leg `s`'s peer as G.711 in `law` (the leg's negotiated codec),
  // 20 ms per packet, instead of what the other leg sends; replaces a playback in progress. Then
  // Listener::on_relay_playback_done. errc::no_destination without a peer address.
  Status play(Side s, std::vector<std::int16_t> pcm, G711Law law);
  void stop_playback(Side s);
  bool playing(Side s) const;
  // Idle check; the relay's timer calls it every rtp.idle_check_interval (public for tests with a FakeClock).
  void check_idle();

  const LegStats& stats(Side s) const;
  std::string dump() const;

 private:
  struct Leg;

  void on_rtp_socket_datagram(RtpSocket& socket, std::span<std::uint8_t> data, const Endpoint& from) override;
  void on_rtp(Leg& in, std::span<std::uint8_t> data, const Endpoint& from);
  // Codec bridging of one packet going from `in` to `out` (nothing when both legs agreed on the same codec).
  static void bridge(const Leg& in, Leg& out, std::span<std::uint8_t> data, const rtp::RtpView& header);
  void on_rtcp(Leg& in, std::span<std::uint8_t> data, const Endpoint& from, bool muxed);
  void schedule_idle_check();
  void start_next_dtmf(Leg& to);
  void send_dtmf_packet(Leg& to);
  void send_play_packet(Leg& to);
  // Header fields of the next packet this relay generates itself towards `to` (DTMF, prompts).
  rtp::RtpFields generated_header(Leg& to, std::uint8_t pt, bool marker, std::uint32_t ts);

  MediaEngine& engine_;
  Listener& listener_;
  std::array<std::unique_ptr<Leg>, 2> legs_;
  boost::asio::steady_timer idle_timer_;
  Clock::SteadyTime last_activity_;
  bool idle_reported_ = false;
  bool stopped_ = false;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);  // timer handlers hold a weak_ptr to it
};

}  // namespace portier::media
