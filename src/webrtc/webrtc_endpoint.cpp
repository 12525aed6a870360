#include "webrtc/webrtc_endpoint.hpp"

#include <cstdlib>

#include "base/log.hpp"
#include "base/random.hpp"
#include "base/strings.hpp"
#include "media/media_error.hpp"
#include "rtp/rtcp_packet.hpp"
#include "rtp/rtp_packet.hpp"
#include "webrtc/ice/ice_error.hpp"
#include "webrtc/webrtc_error.hpp"

namespace portier::webrtc {
namespace {

constexpr std::size_t kMaxQueuedDigits = 32;

std::uint32_t random_u32() { return static_cast<std::uint32_t>(std::strtoul(random_hex(4).c_str(), nullptr, 16)); }
std::uint16_t random_u16() { return static_cast<std::uint16_t>(random_u32() >> 16); }

std::optional<std::uint8_t> dtmf_event(char digit) {
  if (digit >= '0' && digit <= '9') return static_cast<std::uint8_t>(digit - '0');
  if (digit == '*') return 10;
  if (digit == '#') return 11;
  if (digit >= 'A' && digit <= 'D') return static_cast<std::uint8_t>(12 + digit - 'A');
  if (digit >= 'a' && digit <= 'd') return static_cast<std::uint8_t>(12 + digit - 'a');
  return std::nullopt;
}

AudioFormat format_of(SipCodec c) { return c == SipCodec::pcma ? AudioFormat::pcma : AudioFormat::pcmu; }
int payload_type_of(SipCodec c) { return c == SipCodec::pcma ? 8 : 0; }

AudioFormat format_of(const std::string& codec) {
  if (iequals(codec, "opus")) return AudioFormat::opus;
  return iequals(codec, "PCMA") ? AudioFormat::pcma : AudioFormat::pcmu;
}

}  // namespace

std::string_view to_string(WebRtcEndpoint::State s) {
  switch (s) {
    case WebRtcEndpoint::State::idle:
      return "idle";
    case WebRtcEndpoint::State::connecting:
      return "connecting";
    case WebRtcEndpoint::State::connected:
      return "connected";
    case WebRtcEndpoint::State::failed:
      return "failed";
    case WebRtcEndpoint::State::closed:
      return "closed";
  }
  return "?";
}

Result<std::unique_ptr<WebRtcEndpoint>> WebRtcEndpoint::create(media::MediaEngine& engine,
                                                               std::shared_ptr<DtlsCertificate> certificate,
                                                               EndpointOptions options, Listener& listener) {
  auto browser = engine.allocate_ports();
  if (!browser) return browser.error();
  auto sip = engine.allocate_ports();
  if (!sip) return sip.error();  // `browser` is given back by its destructor
  std::unique_ptr<WebRtcEndpoint> e(new WebRtcEndpoint(engine, std::move(certificate), std::move(options), listener,
                                                       std::move(*browser), std::move(*sip)));
  e->browser_ports_->rtp().start(*e);
  e->sip_ports_->rtp().start(*e);
  e->sip_ports_->rtcp().start(*e);
  return e;
}

WebRtcEndpoint::WebRtcEndpoint(media::MediaEngine& engine, std::shared_ptr<DtlsCertificate> certificate,
                               EndpointOptions options, Listener& listener, std::unique_ptr<media::PortLease> browser,
                               std::unique_ptr<media::PortLease> sip)
    : engine_(engine),
      certificate_(std::move(certificate)),
      options_(std::move(options)),
      listener_(listener),
      browser_ports_(std::move(browser)),
      sip_ports_(std::move(sip)),
      browser_port_(browser_ports_->rtp_port()),
      sip_port_(sip_ports_->rtp_port()),
      browser_ssrc_(random_u32()),
      sip_ssrc_(random_u32()),
      report_timer_(engine.io()),
      dtmf_timer_(engine.io()) {
  to_sip_.emplace(sip_ssrc_, random_u16(), random_u32(), 8000, static_cast<std::uint32_t>(8 * options_.ptime));
}

WebRtcEndpoint::~WebRtcEndpoint() { close(); }

template <class... Args>
void WebRtcEndpoint::verbose(const char* fmt, Args&&... args) const {
  if (!options_.verbose) return;
  log::get("webrtc")->info("[VERBOSE] endpoint {}: {}", browser_port_,
                           fmt::format(fmt::runtime(fmt), std::forward<Args>(args)...));
}

Result<std::string> WebRtcEndpoint::accept_offer(std::string_view offer_sdp) {
  if (state_ == State::closed || state_ == State::failed) return Error(errc::closed, "the endpoint is closed");
  auto offer = parse_offer(offer_sdp);
  if (!offer) {
    verbose("offer refused: {}", offer.error().what());
    return offer.error();
  }
  auto choice = choose_codec(*offer, options_.codecs, options_.comfort_noise, options_.ptime);
  if (!choice) {
    verbose("offer refused: {}", choice.error().what());
    return choice.error();
  }
  choice->dtx = options_.voice_activity_detection;
  verbose("offer: {}; chose {}", offer->dump(), choice->dump());
  if (auto st = start_transport(*offer); !st) return st.error();
  add_offer_candidates(*offer);
  choice_ = std::move(*choice);
  browser_codec_ = choice_->codec.name;
  configure_media();

  LocalDescription local;
  local.ice_ufrag = transport_->local_credentials().ufrag;
  local.ice_pwd = transport_->local_credentials().pwd;
  local.fingerprint = certificate_->fingerprint();
  const auto bind = browser_ports_->rtp().local_endpoint().address();
  for (const auto& c : WebRtcTransport::host_candidates(bind, options_.announced_address, browser_port_)) {
    if (local.address.empty()) local.address = c.endpoint.address().to_string();
    local.candidates.push_back(c.line());
  }
  local.port = browser_port_;
  local.ssrc = browser_ssrc_;
  local.session_version = std::to_string(++session_version_);
  auto answer = build_answer(*offer, *choice_, local);
  verbose("answer:\n{}", answer);
  return answer;
}

Status WebRtcEndpoint::start_transport(const WebRtcOffer& offer) {
  const WebRtcTransport::Remote remote{offer.ice_ufrag, offer.ice_pwd, offer.fingerprint_algorithm,
                                       offer.fingerprint};
  if (transport_ && transport_->remote() == remote) return {};  // renegotiation without an ICE restart
  if (transport_ && transport_->remote().fingerprint == remote.fingerprint &&
      transport_->remote().fingerprint_algorithm == remote.fingerprint_algorithm &&
      transport_->state() != WebRtcTransport::State::failed) {
    // ICE restart: new credentials on both sides, the DTLS association and SRTP keys stay (RFC 8445 §9).
    verbose("ICE restart: remote ufrag {}", remote.ice_ufrag);
    transport_->restart_ice(IceCredentials::generate(), remote);
    return {};
  }
  if (transport_) {
    verbose("new DTLS fingerprint: new transport");
    transport_->close();
    transport_.reset();
  }
  WebRtcTransport::Options o;
  o.consent_timeout = options_.consent_timeout;
  o.connect_timeout = options_.connect_timeout;
  o.verbose = options_.verbose;
  transport_ = std::make_unique<WebRtcTransport>(engine_.io(), engine_.clock(), browser_ports_->rtp(), certificate_,
                                                 IceCredentials::generate(), o,
                                                 static_cast<WebRtcTransport::Listener&>(*this));
  state_ = State::connecting;
  transport_->start(remote);
  if (transport_->state() == WebRtcTransport::State::failed) {
    return Error(errc::dtls_failed, transport_->failure());
  }
  return {};
}

void WebRtcEndpoint::add_offer_candidates(const WebRtcOffer& offer) {
  for (const auto& line : offer.candidates) {
    auto c = parse_candidate(line);
    if (c) {
      transport_->add_remote_candidate(*c);
    } else {
      verbose("offer candidate skipped ({}): {}", c.error().what(), line);
    }
  }
}

Status WebRtcEndpoint::add_remote_candidate(std::string_view candidate) {
  if (!transport_) return Error(errc::not_ready, "no offer yet");
  if (trim(candidate).empty()) {
    verbose("end of remote candidates");
    return {};
  }
  auto c = parse_candidate(candidate);
  if (!c && c.error().code == ice::errc::unsupported_candidate) {
    // TCP and mDNS candidates are valid ICE, just of no use to a UDP ICE-lite server: skipped like in the offer.
    verbose("trickled candidate skipped ({}): {}", c.error().what(), candidate);
    return {};
  }
  if (!c) return Error(errc::bad_candidate, c.error().what());
  transport_->add_remote_candidate(*c);
  return {};
}

void WebRtcEndpoint::set_sip_remote(const media::LegRemote& remote, SipCodec codec) {
  sip_rtp_remote_.reset();
  sip_rtcp_remote_.reset();
  if (remote.rtp && !remote.rtp->address().is_unspecified() && remote.rtp->port() != 0) {
    sip_rtp_remote_ = *remote.rtp;
    sip_rtcp_remote_ = remote.rtcp ? *remote.rtcp
                                   : media::Endpoint(remote.rtp->address(), remote.rtcp_mux
                                                                                ? remote.rtp->port()
                                                                                : remote.rtp->port() + 1);
  }
  sip_rtcp_mux_ = remote.rtcp_mux;
  sip_codec_ = codec;
  sip_te_pt_ = remote.telephone_event_pt >= 0 ? remote.telephone_event_pt : options_.sip_telephone_event_pt;
  sip_configured_ = true;
  verbose("SIP side: {} {} te={}", sip_rtp_remote_ ? sip_rtp_remote_->address().to_string() + ":" +
                                                         std::to_string(sip_rtp_remote_->port())
                                                   : std::string("(latching)"),
          to_string(format_of(codec)), sip_te_pt_);
  configure_media();
}

void WebRtcEndpoint::configure_media() {
  if (!choice_) return;
  const auto browser = format_of(browser_codec_);
  browser_te_pt_ = choice_->telephone_event ? choice_->telephone_event->payload_type : -1;
  browser_cn_pt_ = choice_->comfort_noise ? choice_->comfort_noise->payload_type : -1;
  if (!to_browser_ || browser != browser_format_) {
    const int rate = clock_rate(browser);
    to_browser_.emplace(browser_ssrc_, random_u16(), random_u32(), rate,
                        static_cast<std::uint32_t>(rate / 1000 * options_.ptime));
  }
  browser_format_ = browser;
  to_sip_transcoder_.reset();
  to_browser_transcoder_.reset();
  if (!sip_configured_ || format_of(sip_codec_) == browser_format_) return;
  auto up = AudioTranscoder::create(browser_format_, format_of(sip_codec_));
  auto down = AudioTranscoder::create(format_of(sip_codec_), browser_format_);
  if (!up || !down) {
    log::get("webrtc")->error("endpoint {}: cannot transcode {} <-> {}", browser_port_, browser_codec_,
                              to_string(format_of(sip_codec_)));
    return;
  }
  to_sip_transcoder_ = std::move(*up);
  to_browser_transcoder_ = std::move(*down);
  verbose("transcoding {} <-> {}", browser_codec_, to_string(format_of(sip_codec_)));
}

Status WebRtcEndpoint::send_dtmf_to_sip(char digit, std::chrono::milliseconds duration) {
  const auto event = dtmf_event(digit);
  if (!event) return Error(errc::bad_digit, std::string("not a DTMF digit: ") + digit);
  if (!sip_configured_ || !sip_rtp_remote_ || sip_te_pt_ < 0) {
    return Error(media::errc::no_destination, "the SIP side has no telephone-event destination yet");
  }
  if (dtmf_queue_.size() >= kMaxQueuedDigits) return Error(media::errc::busy, "too many queued digits");
  dtmf_queue_.emplace_back(digit, duration);
  if (dtmf_next_ >= dtmf_plan_.size()) start_next_dtmf();
  return {};
}

void WebRtcEndpoint::start_next_dtmf() {
  if (dtmf_queue_.empty()) return;
  const auto [digit, duration] = dtmf_queue_.front();
  dtmf_queue_.pop_front();
  dtmf_plan_ = rtp::plan_telephone_event(*dtmf_event(digit), duration, 8000, std::chrono::milliseconds(options_.ptime));
  dtmf_next_ = 0;
  const auto now = engine_.clock().steady_now();
  dtmf_timestamp_ = to_sip_->timestamp_after(now - last_to_sip_);
  dtmf_started_ = now;
  verbose("DTMF '{}' ({} ms) to the SIP side", digit, duration.count());
  send_dtmf_packet();
}

void WebRtcEndpoint::send_dtmf_packet() {
  if (dtmf_next_ >= dtmf_plan_.size() || !sip_rtp_remote_) return;
  const auto& p = dtmf_plan_[dtmf_next_];
  rtp::write_rtp_header(build_, rtp::RtpFields{p.marker, static_cast<std::uint8_t>(sip_te_pt_),
                                               to_sip_->take_sequence(), dtmf_timestamp_, to_sip_->ssrc()});
  rtp::write_telephone_event(std::span(build_).subspan(rtp::kRtpHeaderSize), p.payload);
  to_sip_->note_generated(dtmf_timestamp_);
  last_to_sip_ = engine_.clock().steady_now();
  send_to_sip(std::span(build_.data(), rtp::kRtpHeaderSize + rtp::kTelephoneEventSize));
  if (++dtmf_next_ < dtmf_plan_.size()) {
    dtmf_timer_.expires_at(std::chrono::steady_clock::now() + (dtmf_plan_[dtmf_next_].at - p.at));
    dtmf_timer_.async_wait([this, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
      if (ec || alive.expired() || state_ == State::closed) return;
      send_dtmf_packet();
    });
  } else {
    start_next_dtmf();
  }
}

// ---- datagrams ----------------------------------------------------------------------------------------------

void WebRtcEndpoint::on_rtp_socket_datagram(media::RtpSocket& socket, std::span<std::uint8_t> data,
                                            const media::Endpoint& from) {
  if (state_ == State::closed) return;
  if (browser_ports_ && &socket == &browser_ports_->rtp()) {
    if (transport_) transport_->on_datagram(data, from);
    return;
  }
  if (!sip_ports_) return;
  if (&socket == &sip_ports_->rtp()) {
    if (sip_rtcp_mux_ && rtp::is_rtcp(data)) {
      on_sip_rtcp(data, from);
    } else {
      on_sip_rtp(data, from);
    }
  } else {
    on_sip_rtcp(data, from);
  }
}

bool WebRtcEndpoint::sip_source_ok(const media::Endpoint& from, bool rtcp) {
  if (!sip_configured_) return false;
  if (!sip_rtp_remote_) {
    if (rtcp) return false;
    // Nothing signalled: latch the first source (RFC 4961 symmetric RTP).
    sip_rtp_remote_ = from;
    sip_rtcp_remote_ = media::Endpoint(from.address(), sip_rtcp_mux_ ? from.port() : from.port() + 1);
    verbose("SIP side latched to {}:{}", from.address().to_string(), from.port());
    return true;
  }
  if (rtcp) return from.address() == sip_rtp_remote_->address();
  return from == *sip_rtp_remote_;
}

// Browser -> SIP.
void WebRtcEndpoint::on_transport_rtp(WebRtcTransport& t, std::span<std::uint8_t> packet) {
  ++stats_.browser_rtp_in;
  auto h = rtp::parse_rtp(packet);
  if (!h || !choice_) {
    ++stats_.dropped;
    return;
  }
  const auto now = engine_.clock().steady_now();
  if (h->payload_type == choice_->codec.payload_type) {
    browser_stream_stats_.on_rtp(*h, now, clock_rate(browser_format_));
  }
  if (!sip_configured_ || !sip_rtp_remote_) {
    ++stats_.dropped;
    return;
  }
  if (h->payload_type == choice_->codec.payload_type) {
    forward_audio_to_sip(packet, *h);
  } else if (static_cast<int>(h->payload_type) == browser_te_pt_ && sip_te_pt_ >= 0) {
    forward_event(packet, *h, true);
  } else {
    ++stats_.dropped;  // CN, RED, anything not negotiated for the SIP side
  }
}

// SIP -> browser.
void WebRtcEndpoint::on_sip_rtp(std::span<std::uint8_t> data, const media::Endpoint& from) {
  if (!sip_source_ok(from, false)) {
    ++stats_.dropped;
    return;
  }
  ++stats_.sip_rtp_in;
  auto h = rtp::parse_rtp(data);
  if (!h || !choice_ || !transport_ || transport_->state() != WebRtcTransport::State::connected) {
    ++stats_.dropped;
    return;
  }
  sip_source_ssrc_ = h->ssrc;
  if (h->payload_type == payload_type_of(sip_codec_)) {
    forward_audio_to_browser(data, *h);
  } else if (static_cast<int>(h->payload_type) == sip_te_pt_ && browser_te_pt_ >= 0) {
    forward_event(data, *h, false);
  } else {
    ++stats_.dropped;
  }
}

void WebRtcEndpoint::forward_audio_to_sip(std::span<std::uint8_t> packet, const rtp::RtpView& h) {
  const auto pt = static_cast<std::uint8_t>(payload_type_of(sip_codec_));
  if (!to_sip_transcoder_) {
    rtp::set_payload_type(packet, pt);
    emit(packet, true);
    return;
  }
  if (!to_sip_transcoder_->push(h.payload, h.timestamp)) {
    ++stats_.dropped;
    return;
  }
  AudioTranscoder::Frame f;
  bool first = true;
  while (to_sip_transcoder_->next(f)) {
    emit_generated(f, pt, h.marker && first, h.ssrc, true);
    first = false;
  }
}

void WebRtcEndpoint::forward_audio_to_browser(std::span<std::uint8_t> packet, const rtp::RtpView& h) {
  const auto pt = static_cast<std::uint8_t>(choice_->codec.payload_type);
  if (!to_browser_transcoder_) {
    rtp::set_payload_type(packet, pt);
    emit(packet, false);
    return;
  }
  if (!to_browser_transcoder_->push(h.payload, h.timestamp)) {
    ++stats_.dropped;
    return;
  }
  AudioTranscoder::Frame f;
  bool first = true;
  while (to_browser_transcoder_->next(f)) {
    emit_generated(f, pt, h.marker && first, h.ssrc, false);
    first = false;
  }
}

// telephone-event: the PT is rewritten; between Opus (48 kHz) and G.711 (8 kHz) the timestamp and the event
// duration are scaled like the audio's, so that events stay aligned with the transcoded stream.
void WebRtcEndpoint::forward_event(std::span<std::uint8_t> packet, const rtp::RtpView& h, bool to_sip) {
  rtp::set_payload_type(packet, static_cast<std::uint8_t>(to_sip ? sip_te_pt_ : browser_te_pt_));
  const bool transcoded = to_sip ? to_sip_transcoder_ != nullptr : to_browser_transcoder_ != nullptr;
  if (browser_format_ == AudioFormat::opus && h.payload.size() >= rtp::kTelephoneEventSize) {
    auto* d = packet.data() + h.header_size + 2;
    const std::uint32_t duration = rtp::load16(d);
    const std::uint32_t scaled = to_sip ? duration / 6 : std::min<std::uint32_t>(duration * 6, 0xffff);
    rtp::store16(d, static_cast<std::uint16_t>(scaled));
    rtp::set_timestamp(packet, to_sip ? h.timestamp / 6 : h.timestamp * 6);
  }
  if (transcoded) rtp::set_sequence(packet, to_sip ? synthetic_seq_to_sip_++ : synthetic_seq_to_browser_++);
  emit(packet, to_sip);
}

// A transcoded frame: a header in the input stream's terms (its SSRC, a sequence of our own, the scaled
// timestamp), then the same rewrite to our outgoing stream as pass-through packets get.
void WebRtcEndpoint::emit_generated(const AudioTranscoder::Frame& f, std::uint8_t pt, bool marker,
                                    std::uint32_t source_ssrc, bool to_sip) {
  if (rtp::kRtpHeaderSize + f.payload.size() > build_.size()) {
    ++stats_.dropped;
    return;
  }
  auto& seq = to_sip ? synthetic_seq_to_sip_ : synthetic_seq_to_browser_;
  rtp::write_rtp_header(build_, rtp::RtpFields{marker, pt, seq++, f.timestamp, source_ssrc});
  std::copy(f.payload.begin(), f.payload.end(), build_.begin() + rtp::kRtpHeaderSize);
  ++stats_.transcoded;
  emit(std::span(build_.data(), rtp::kRtpHeaderSize + f.payload.size()), to_sip);
}

void WebRtcEndpoint::emit(std::span<std::uint8_t> packet, bool to_sip) {
  auto h = rtp::parse_rtp(packet);
  if (!h) {
    ++stats_.dropped;
    return;
  }
  const auto now = engine_.clock().steady_now();
  if (to_sip) {
    to_sip_->rewrite(packet, *h, now - last_to_sip_);
    last_to_sip_ = now;
    send_to_sip(packet);
  } else {
    to_browser_->rewrite(packet, *h, now - last_to_browser_);
    last_to_browser_ = now;
    if (transport_ && transport_->send_rtp(packet)) {
      ++stats_.browser_rtp_out;
    } else {
      ++stats_.dropped;
    }
  }
}

void WebRtcEndpoint::send_to_sip(std::span<const std::uint8_t> packet) {
  if (!sip_ports_ || !sip_rtp_remote_) {
    ++stats_.dropped;
    return;
  }
  if (sip_ports_->rtp().send_to(packet, *sip_rtp_remote_)) {
    ++stats_.sip_rtp_out;
  } else {
    ++stats_.dropped;
  }
}

// ---- RTCP -------------------------------------------------------------------------------------------------------

void WebRtcEndpoint::on_transport_rtcp(WebRtcTransport& t, std::span<std::uint8_t> packet) {
  if (!rtp::validate_rtcp_compound(packet)) {
    ++stats_.dropped;
    return;
  }
  const auto now = engine_.clock().steady_now();
  rtp::for_each_rtcp(packet, [&](const rtp::RtcpView& v) {
    if (v.type == static_cast<std::uint8_t>(rtp::RtcpType::sr) && v.packet.size() >= 20) {
      const std::uint32_t middle = (rtp::load32(v.packet.data() + 8) << 16) | (rtp::load32(v.packet.data() + 12) >> 16);
      browser_stream_stats_.on_sender_report(v.ssrc, middle, now);
    }
  });
  // Forwarded only when the SIP side gets the browser's stream as it is: after transcoding the browser's
  // reports describe a stream the SIP side never sees.
  if (to_sip_transcoder_ || !sip_rtcp_remote_ || !sip_ports_) return;
  if (auto src = browser_stream_stats_.source()) rtp::rewrite_rtcp_ssrc(packet, *src, sip_ssrc_);
  auto& socket = sip_rtcp_mux_ ? sip_ports_->rtp() : sip_ports_->rtcp();
  socket.send_to(packet, *sip_rtcp_remote_);
}

void WebRtcEndpoint::on_sip_rtcp(std::span<std::uint8_t> data, const media::Endpoint& from) {
  if (!sip_source_ok(from, true) || !rtp::validate_rtcp_compound(data)) {
    ++stats_.dropped;
    return;
  }
  sip_sent_rtcp_ = true;
  last_sip_rtcp_ = engine_.clock().steady_now();
  if (to_browser_transcoder_ || !transport_ || transport_->state() != WebRtcTransport::State::connected) return;
  if (sip_source_ssrc_) rtp::rewrite_rtcp_ssrc(data, *sip_source_ssrc_, browser_ssrc_);
  transport_->send_rtcp(data);
}

void WebRtcEndpoint::schedule_report() {
  report_timer_.expires_after(options_.receiver_report_interval);
  report_timer_.async_wait([this, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
    if (ec || alive.expired() || state_ != State::connected) return;
    send_receiver_report();
    schedule_report();
  });
}

// Our own report when the browser would otherwise get none (the SIP side is quiet, or we transcode).
void WebRtcEndpoint::send_receiver_report() {
  const auto now = engine_.clock().steady_now();
  const bool sip_reports = sip_sent_rtcp_ && !to_browser_transcoder_ &&
                           now - last_sip_rtcp_ < 2 * options_.receiver_report_interval;
  if (sip_reports || !transport_) return;
  const auto size = browser_stream_stats_.write(build_, browser_ssrc_, "portier", now);
  if (size > 0 && transport_->send_rtcp(std::span(build_.data(), size))) ++reports_sent_;
}

// ---- transport events -------------------------------------------------------------------------------------------

void WebRtcEndpoint::on_transport_connected(WebRtcTransport& t) {
  if (&t != transport_.get() || state_ != State::connecting) return;
  state_ = State::connected;
  verbose("connected ({}, browser codec {})", t.dump(), browser_codec_);
  schedule_report();
  listener_.on_endpoint_connected(*this);
}

void WebRtcEndpoint::on_transport_failed(WebRtcTransport& t, const std::string& reason) {
  if (&t != transport_.get()) return;
  fail(reason);
}

void WebRtcEndpoint::on_transport_closed(WebRtcTransport& t) {
  if (&t != transport_.get() || state_ == State::failed || state_ == State::closed) return;
  state_ = State::failed;
  report_timer_.cancel();
  dtmf_timer_.cancel();
  verbose("the browser closed its peer connection");
  listener_.on_endpoint_closed(*this);
}

void WebRtcEndpoint::fail(const std::string& reason) {
  if (state_ == State::failed || state_ == State::closed) return;
  state_ = State::failed;
  report_timer_.cancel();
  dtmf_timer_.cancel();
  log::get("webrtc")->warn("endpoint {}: failed: {}", browser_port_, reason);
  listener_.on_endpoint_failed(*this, reason);
}

void WebRtcEndpoint::close() {
  if (state_ == State::closed) return;
  state_ = State::closed;
  alive_.reset();
  report_timer_.cancel();
  dtmf_timer_.cancel();
  if (transport_) transport_->close();
  // The transport keeps a reference to the browser socket: it is closed (never sends again) before the lease goes.
  browser_ports_.reset();
  sip_ports_.reset();
  verbose("closed");
}

WebRtcEndpoint::Stats WebRtcEndpoint::stats() const {
  Stats s = stats_;
  if (transport_) s.srtp_errors = transport_->counters().srtp_errors;
  return s;
}

std::string WebRtcEndpoint::dump() const {
  const auto s = stats();
  std::string out = "WebRtcEndpoint{" + std::string(to_string(state_)) + " browser_port=" +
                    std::to_string(browser_port_) + " sip_port=" + std::to_string(sip_port_) +
                    " codec=" + (browser_codec_.empty() ? std::string("-") : browser_codec_) +
                    " sip=" + std::string(to_string(format_of(sip_codec_))) + (sip_configured_ ? "" : "(unset)");
  if (to_sip_transcoder_) out += " " + to_sip_transcoder_->dump() + " " + to_browser_transcoder_->dump();
  out += " in=" + std::to_string(s.browser_rtp_in) + " out=" + std::to_string(s.browser_rtp_out) +
         " sip_in=" + std::to_string(s.sip_rtp_in) + " sip_out=" + std::to_string(s.sip_rtp_out) +
         " srtp_err=" + std::to_string(s.srtp_errors) + " dropped=" + std::to_string(s.dropped) +
         " transcoded=" + std::to_string(s.transcoded) + " rr=" + std::to_string(reports_sent_);
  if (transport_) out += " " + transport_->dump();
  return out + "}";
}

}  // namespace portier::webrtc
