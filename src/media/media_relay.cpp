#include "media/media_relay.hpp"

#include "base/error.hpp"
#include "base/random.hpp"
#include "base/strings.hpp"
#include "media/media_error.hpp"
#include "rtp/dtmf.hpp"
#include "rtp/rtcp_packet.hpp"
#include "rtp/rtp_packet.hpp"

namespace portier::media {
namespace {

std::uint32_t random_u32() { return static_cast<std::uint32_t>(std::stoul(random_hex(4), nullptr, 16)); }

constexpr std::size_t kMaxQueuedDigits = 32;

}  // namespace

struct MediaRelay::Leg {
  Leg(Side s, std::unique_ptr<PortLease> p, const RtpConfig& config, boost::asio::io_context& io)
      : side(s), ports(std::move(p)), rtp_latch(config), rtcp_latch(config), dtmf_timer(io), play_timer(io) {}

  Side side;
  std::unique_ptr<PortLease> ports;
  SourceLatch rtp_latch;
  SourceLatch rtcp_latch;
  bool rtcp_mux = false;
  int te_pt = -1;
  int audio_pt = -1;            // the agreed audio codec's payload type, -1 = unknown
  std::optional<G711Law> law;   // that codec when it is G.711
  std::optional<rtp::StreamRewriter> rewriter;  // applied to packets sent to this leg
  rtp::TelephoneEventDetector detector;         // events received on this leg
  RtpTap* tap = nullptr;
  LegStats stats;
  Clock::SteadyTime last_tx{};

  // RFC 4733 generation towards this leg.
  boost::asio::steady_timer dtmf_timer;
  std::deque<std::pair<char, std::chrono::milliseconds>> dtmf_queue;
  std::vector<rtp::PlannedEventPacket> plan;
  std::size_t plan_next = 0;
  Clock::SteadyTime plan_start{};
  std::uint32_t event_ts = 0;
  // Our own stream for generated packets when not rewriting.
  std::uint32_t own_ssrc = random_u32();
  std::uint16_t own_seq = static_cast<std::uint16_t>(random_u32());
  std::uint32_t own_ts = random_u32();

  // Prompt playback towards this leg.
  boost::asio::steady_timer play_timer;
  std::vector<std::int16_t> play_pcm;
  std::size_t play_pos = 0;
  G711Law play_law = G711Law::ulaw;
  bool play_active = false;
  std::uint32_t play_ts = 0;
  std::chrono::steady_clock::time_point play_next{};

  std::optional<Endpoint> rtp_destination() const { return rtp_latch.destination(); }
};

const char* to_string(Side s) { return s == Side::a ? "a" : "b"; }

Result<LegRemote> leg_remote_from(const sdp::NegotiatedMedia& m) {
  LegRemote r;
  boost::system::error_code ec;
  const auto addr = boost::asio::ip::make_address(m.remote_address, ec);
  if (ec) return Error(errc::invalid_address, "media address is not an IP literal: " + m.remote_address);
  if (!addr.is_unspecified() && m.remote_rtp_port != 0) r.rtp = Endpoint(addr, m.remote_rtp_port);
  const auto rtcp_addr = boost::asio::ip::make_address(m.remote_rtcp_address, ec);
  if (!ec && !rtcp_addr.is_unspecified() && m.remote_rtcp_port != 0) r.rtcp = Endpoint(rtcp_addr, m.remote_rtcp_port);
  r.rtcp_mux = m.rtcp_mux;
  if (m.telephone_event) r.telephone_event_pt = m.telephone_event->payload_type;
  r.audio_pt = m.codec.payload_type;
  if (m.codec.clock_rate == 8000 && m.codec.channels == 1) {
    if (iequals(m.codec.name, "PCMU")) r.law = G711Law::ulaw;
    if (iequals(m.codec.name, "PCMA")) r.law = G711Law::alaw;
  }
  return r;
}

MediaRelay::MediaRelay(MediaEngine& engine, Listener& listener, std::unique_ptr<PortLease> a,
                       std::unique_ptr<PortLease> b)
    : engine_(engine), listener_(listener), idle_timer_(engine.io()) {
  legs_[0] = std::make_unique<Leg>(Side::a, std::move(a), engine.config(), engine.io());
  legs_[1] = std::make_unique<Leg>(Side::b, std::move(b), engine.config(), engine.io());
  last_activity_ = engine.clock().steady_now();
}

MediaRelay::~MediaRelay() { stop(); }

void MediaRelay::start() {
  for (auto& leg : legs_) {
    leg->ports->rtp().start(*this);
    leg->ports->rtcp().start(*this);
  }
  schedule_idle_check();
}

void MediaRelay::stop() {
  if (stopped_) return;
  stopped_ = true;
  alive_.reset();
  idle_timer_.cancel();
  for (auto& leg : legs_) {
    leg->dtmf_timer.cancel();
    leg->play_timer.cancel();
    leg->ports->rtp().close();
    leg->ports->rtcp().close();
  }
}

std::uint16_t MediaRelay::local_port(Side s) const { return legs_[static_cast<int>(s)]->ports->rtp_port(); }

const LegStats& MediaRelay::stats(Side s) const { return legs_[static_cast<int>(s)]->stats; }

void MediaRelay::set_remote(Side s, const LegRemote& remote) {
  auto& leg = *legs_[static_cast<int>(s)];
  leg.rtp_latch.expect(remote.rtp);
  std::optional<Endpoint> rtcp = remote.rtcp;
  if (!rtcp && remote.rtp) {
    rtcp = Endpoint(remote.rtp->address(), static_cast<std::uint16_t>(remote.rtp->port() + (remote.rtcp_mux ? 0 : 1)));
  }
  leg.rtcp_latch.expect(rtcp);
  leg.rtcp_mux = remote.rtcp_mux;
  leg.te_pt = remote.telephone_event_pt;
  leg.audio_pt = remote.audio_pt;
  leg.law = remote.law;
}

void MediaRelay::set_rewrite(Side s, bool on) {
  auto& leg = *legs_[static_cast<int>(s)];
  if (!on) {
    leg.rewriter.reset();
  } else if (!leg.rewriter) {
    leg.rewriter.emplace(random_u32(), static_cast<std::uint16_t>(random_u32()), random_u32());
  }
}

void MediaRelay::set_tap(Side s, RtpTap* tap) { legs_[static_cast<int>(s)]->tap = tap; }

void MediaRelay::on_rtp_socket_datagram(RtpSocket& socket, std::span<std::uint8_t> data, const Endpoint& from) {
  for (auto& leg : legs_) {
    if (&socket == &leg->ports->rtp()) {
      if (leg->rtcp_mux && rtp::is_rtcp(data)) return on_rtcp(*leg, data, from, true);
      return on_rtp(*leg, data, from);
    }
    if (&socket == &leg->ports->rtcp()) return on_rtcp(*leg, data, from, false);
  }
}

void MediaRelay::on_rtp(Leg& in, std::span<std::uint8_t> data, const Endpoint& from) {
  auto header = rtp::parse_rtp(data);
  if (!header || rtp::is_rtcp(data)) {
    ++in.stats.dropped_malformed;
    return;
  }
  if (!in.rtp_latch.accept(from)) {
    ++in.stats.dropped_source;
    return;
  }
  ++in.stats.rtp_in;
  const auto now = engine_.clock().steady_now();
  last_activity_ = now;
  if (header->payload_type == in.te_pt) {
    if (auto d = in.detector.on_packet(header->timestamp, header->payload); d && d->digit) {
      ++in.stats.dtmf_detected;
      listener_.on_relay_dtmf(*this, in.side, d->digit, std::chrono::milliseconds(d->duration * 1000ull / 8000ull));
    }
  }
  if (in.tap) in.tap->on_rtp_packet(*header);

  Leg& out = *legs_[static_cast<int>(other(in.side))];
  const auto dest = out.rtp_destination();
  if (!dest) {
    ++out.stats.dropped_no_destination;
    return;
  }
  if (out.play_active) {
    ++out.stats.suppressed;
    return;
  }
  bridge(in, out, data, *header);
  if (out.rewriter) out.rewriter->rewrite(data, *header, now - out.last_tx);
  if (out.ports->rtp().send_to(data, *dest)) {
    ++out.stats.rtp_out;
    out.last_tx = now;
  } else {
    ++out.stats.send_errors;
  }
}

void MediaRelay::bridge(const Leg& in, Leg& out, std::span<std::uint8_t> data, const rtp::RtpView& header) {
  const int pt = header.payload_type;
  if (pt == in.te_pt) {
    if (out.te_pt >= 0 && out.te_pt != pt) {  // e.g. 101 on one leg, 96 on the other
      rtp::set_payload_type(data, static_cast<std::uint8_t>(out.te_pt));
      ++out.stats.renumbered;
    }
    return;
  }
  // The agreed codec, or the other G.711 law by its static payload type (an answer may have allowed both). Comfort
  // noise and unknown types go as they are; so does audio between legs that are not both G.711 (we cannot convert
  // it, and the offers never let that happen).
  std::optional<G711Law> from = in.law;
  if (pt != in.audio_pt) from = in.law ? g711_law_for_payload_type(pt) : std::nullopt;
  if (!from || !out.law || out.audio_pt < 0) return;
  if (*from != *out.law) {
    g711_transcode(*from, *out.law, data.subspan(header.header_size, header.payload.size()));
    ++out.stats.transcoded;
  }
  if (out.audio_pt != pt) {
    rtp::set_payload_type(data, static_cast<std::uint8_t>(out.audio_pt));
    ++out.stats.renumbered;
  }
}

void MediaRelay::on_rtcp(Leg& in, std::span<std::uint8_t> data, const Endpoint& from, bool muxed) {
  if (!rtp::validate_rtcp_compound(data)) {
    ++in.stats.dropped_malformed;
    return;
  }
  // With rtcp-mux, RTCP shares the RTP source; otherwise it has its own latch.
  if (!(muxed ? in.rtp_latch.accept(from) : in.rtcp_latch.accept(from))) {
    ++in.stats.dropped_source;
    return;
  }
  ++in.stats.rtcp_in;
  last_activity_ = engine_.clock().steady_now();
  Leg& out = *legs_[static_cast<int>(other(in.side))];
  const auto dest = out.rtcp_mux ? out.rtp_latch.destination() : out.rtcp_latch.destination();
  if (!dest) {
    ++out.stats.dropped_no_destination;
    return;
  }
  if (out.rewriter && out.rewriter->source_ssrc()) {
    rtp::rewrite_rtcp_ssrc(data, *out.rewriter->source_ssrc(), out.rewriter->ssrc());
  }
  auto& socket = out.rtcp_mux ? out.ports->rtp() : out.ports->rtcp();
  if (socket.send_to(data, *dest)) {
    ++out.stats.rtcp_out;
  } else {
    ++out.stats.send_errors;
  }
}

void MediaRelay::schedule_idle_check() {
  idle_timer_.expires_after(engine_.config().idle_check_interval);
  idle_timer_.async_wait([this, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    check_idle();
    if (!alive.expired() && !stopped_) schedule_idle_check();  // the listener may have destroyed the relay
  });
}

void MediaRelay::check_idle() {
  if (idle_reported_ || stopped_) return;
  if (engine_.clock().steady_now() - last_activity_ < engine_.config().idle_timeout) return;
  idle_reported_ = true;
  for (auto& leg : legs_) {
    if (auto d = leg->detector.flush(); d && d->digit) {
      listener_.on_relay_dtmf(*this, leg->side, d->digit, std::chrono::milliseconds(d->duration / 8));
    }
  }
  listener_.on_relay_idle(*this);  // may destroy the relay: nothing after this line
}

Status MediaRelay::send_dtmf(Side s, char digit, std::chrono::milliseconds length) {
  auto& leg = *legs_[static_cast<int>(s)];
  if (!rtp::digit_to_event(digit)) return Error(portier::errc::invalid_argument, "not a DTMF digit");
  if (leg.te_pt < 0) return Error(errc::no_destination, "no telephone-event negotiated on this leg");
  if (!leg.rtp_destination()) return Error(errc::no_destination, "leg has no peer address");
  if (leg.dtmf_queue.size() >= kMaxQueuedDigits) return Error(errc::busy, "too many queued digits");
  leg.dtmf_queue.emplace_back(digit, length);
  if (leg.plan_next >= leg.plan.size()) start_next_dtmf(leg);
  return {};
}

void MediaRelay::start_next_dtmf(Leg& to) {
  if (to.dtmf_queue.empty() || stopped_) return;
  const auto [digit, length] = to.dtmf_queue.front();
  to.dtmf_queue.pop_front();
  to.plan = rtp::plan_telephone_event(*rtp::digit_to_event(digit), length);
  to.plan_next = 0;
  to.plan_start = engine_.clock().steady_now();
  if (to.rewriter) {
    to.event_ts = to.rewriter->timestamp_after(to.plan_start - to.last_tx);
  } else {
    to.own_ts += 160 + static_cast<std::uint32_t>(length.count() * 8);
    to.event_ts = to.own_ts;
  }
  send_dtmf_packet(to);
}

void MediaRelay::send_dtmf_packet(Leg& to) {
  if (stopped_ || to.plan_next >= to.plan.size()) return;
  const auto& p = to.plan[to.plan_next++];
  std::array<std::uint8_t, rtp::kRtpHeaderSize + rtp::kTelephoneEventSize> packet{};
  rtp::write_rtp_header(packet, generated_header(to, static_cast<std::uint8_t>(to.te_pt), p.marker, to.event_ts));
  rtp::write_telephone_event(std::span(packet).subspan(rtp::kRtpHeaderSize), p.payload);
  if (auto dest = to.rtp_destination(); dest && to.ports->rtp().send_to(packet, *dest)) {
    ++to.stats.rtp_out;
  } else {
    ++to.stats.send_errors;
  }
  to.last_tx = engine_.clock().steady_now();
  if (to.plan_next >= to.plan.size()) {
    ++to.stats.dtmf_sent;
    if (to.rewriter) to.rewriter->note_generated(to.event_ts + p.payload.duration);
    return start_next_dtmf(to);
  }
  // Pace by the plan's offsets from the real time the event started (the timer, not the injectable clock, waits).
  const auto due = to.plan[to.plan_next].at - p.at;
  to.dtmf_timer.expires_after(due);
  to.dtmf_timer.async_wait([this, &to, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    send_dtmf_packet(to);
  });
}

rtp::RtpFields MediaRelay::generated_header(Leg& to, std::uint8_t pt, bool marker, std::uint32_t ts) {
  rtp::RtpFields f;
  f.marker = marker;
  f.payload_type = pt;
  f.timestamp = ts;
  if (to.rewriter) {
    f.ssrc = to.rewriter->ssrc();
    f.sequence = to.rewriter->take_sequence();
  } else {
    f.ssrc = to.own_ssrc;
    f.sequence = to.own_seq++;
  }
  return f;
}

Status MediaRelay::play(Side s, std::vector<std::int16_t> pcm, G711Law law) {
  auto& leg = *legs_[static_cast<int>(s)];
  if (!leg.rtp_destination()) return Error(errc::no_destination, "leg has no peer address");
  leg.play_timer.cancel();
  leg.play_pcm = std::move(pcm);
  leg.play_pos = 0;
  leg.play_law = law;
  leg.play_active = true;
  const auto now = engine_.clock().steady_now();
  if (leg.rewriter) {
    leg.play_ts = leg.rewriter->timestamp_after(now - leg.last_tx);
  } else {
    leg.own_ts += 160;
    leg.play_ts = leg.own_ts;
  }
  leg.play_next = std::chrono::steady_clock::now();
  send_play_packet(leg);
  return {};
}

void MediaRelay::stop_playback(Side s) {
  auto& leg = *legs_[static_cast<int>(s)];
  leg.play_timer.cancel();
  leg.play_active = false;
  leg.play_pcm.clear();
}

bool MediaRelay::playing(Side s) const { return legs_[static_cast<int>(s)]->play_active; }

void MediaRelay::send_play_packet(Leg& to) {
  if (stopped_ || !to.play_active) return;
  constexpr std::size_t kFrame = 160;  // 20 ms at 8 kHz
  if (to.play_pos >= to.play_pcm.size()) {
    to.play_active = false;
    to.play_pcm.clear();
    listener_.on_relay_playback_done(*this, to.side);
    return;
  }
  std::array<std::uint8_t, rtp::kRtpHeaderSize + kFrame> packet{};
  const auto n = std::min(kFrame, to.play_pcm.size() - to.play_pos);
  rtp::write_rtp_header(packet, generated_header(to, static_cast<std::uint8_t>(payload_type_for(to.play_law)),
                                                 to.play_pos == 0, to.play_ts));
  g711_encode(to.play_law, std::span(to.play_pcm).subspan(to.play_pos, n),
              std::span(packet).subspan(rtp::kRtpHeaderSize, n));
  if (auto dest = to.rtp_destination();
      dest && to.ports->rtp().send_to(std::span(packet).first(rtp::kRtpHeaderSize + n), *dest)) {
    ++to.stats.rtp_out;
  } else {
    ++to.stats.send_errors;
  }
  if (to.rewriter) to.rewriter->note_generated(to.play_ts);
  if (!to.rewriter) to.own_ts = to.play_ts;
  to.play_ts += static_cast<std::uint32_t>(n);
  to.play_pos += n;
  to.last_tx = engine_.clock().steady_now();
  // Absolute deadlines keep 20 ms spacing on average even when a wake-up is late.
  to.play_next += std::chrono::milliseconds(20);
  to.play_timer.expires_at(to.play_next);
  to.play_timer.async_wait([this, &to, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    send_play_packet(to);
  });
}

std::string MediaRelay::dump() const {
  std::string out = "MediaRelay{";
  for (const auto& leg : legs_) {
    const auto& s = leg->stats;
    out += std::string(to_string(leg->side)) + ":" + std::to_string(leg->ports->rtp_port()) + " " +
           leg->rtp_latch.dump() + " in=" + std::to_string(s.rtp_in) + " out=" + std::to_string(s.rtp_out) +
           " rtcp=" + std::to_string(s.rtcp_in) + "/" + std::to_string(s.rtcp_out) +
           " drop_src=" + std::to_string(s.dropped_source) + " drop_bad=" + std::to_string(s.dropped_malformed) +
           " drop_nodest=" + std::to_string(s.dropped_no_destination);
    if (s.transcoded || s.renumbered)
      out += " transcoded=" + std::to_string(s.transcoded) + " renumbered=" + std::to_string(s.renumbered);
    out += "; ";
  }
  return out + "}";
}

}  // namespace portier::media
