#include "app/webrtc_module.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/asio/io_context.hpp>

#include "app/door_setup.hpp"
#include "base/log.hpp"
#include "intercom/browser_phones.hpp"
#include "intercom/intercom.hpp"
#include "media/media_engine.hpp"
#include "webrtc/dtls/dtls_certificate.hpp"

namespace portier::app {
namespace {

media::RtpConfig webrtc_media_config(const Config& c) {
  media::RtpConfig r;
  r.bind_address = c.rtp.bind_address;
  r.port_min = static_cast<std::uint16_t>(c.features.webrtc.rtp.port_min);
  r.port_max = static_cast<std::uint16_t>(c.features.webrtc.rtp.port_max);
  r.idle_timeout = c.rtp.idle_timeout;
  return r;
}

intercom::BrowserPhones::Options phone_options(const Config& c, const std::string& media_address) {
  const auto& w = c.features.webrtc;
  intercom::BrowserPhones::Options o;
  o.verbose = w.verbose_logging;
  o.session_timeout = w.session_timeout;
  o.dtmf_mode = w.dtmf.mode;
  o.sip_info_fallback = w.dtmf.sip_info_fallback;
  o.dtmf_duration = std::chrono::milliseconds(w.dtmf.duration);
  o.media_address = media_address;
  o.domain = c.sip.domain;
  for (const auto& e : merged_door_entries(c)) o.doors[e.id] = e.name.value_or(e.id);
  // Browser-side codecs: enabled entries by priority (telephone-event is not a voice codec).
  auto codecs = w.codecs;
  std::stable_sort(codecs.begin(), codecs.end(), [](const auto& a, const auto& b) { return a.priority < b.priority; });
  o.endpoint.codecs.clear();
  for (const auto& k : codecs) {
    if (!k.enabled) continue;
    if (k.name == "telephone-event") continue;
    o.endpoint.codecs.push_back(k.name == "OPUS" || k.name == "Opus" ? "opus" : k.name);
  }
  if (o.endpoint.codecs.empty()) o.endpoint.codecs = {"PCMU", "PCMA"};
  o.endpoint.sip_telephone_event_pt = w.dtmf.payload_type;
  o.endpoint.ptime = w.rtp.packet_time;
  o.endpoint.comfort_noise = w.audio.comfort_noise;
  o.endpoint.voice_activity_detection = w.audio.voice_activity_detection;
  o.endpoint.verbose = w.verbose_logging;
  boost::system::error_code ec;
  auto announced = boost::asio::ip::make_address(media_address, ec);
  if (!ec) o.endpoint.announced_address = announced;
  return o;
}

api::webrtc_errc to_api(const std::error_code& code) {
  if (code.category() != intercom::phone_category()) return api::webrtc_errc::unavailable;
  switch (static_cast<intercom::phone_errc>(code.value())) {
    case intercom::phone_errc::unknown_session: return api::webrtc_errc::unknown_session;
    case intercom::phone_errc::bad_request: return api::webrtc_errc::bad_request;
    case intercom::phone_errc::no_common_codec: return api::webrtc_errc::no_common_codec;
    case intercom::phone_errc::unknown_extension: return api::webrtc_errc::unknown_extension;
    case intercom::phone_errc::busy: return api::webrtc_errc::busy;
    case intercom::phone_errc::no_call: return api::webrtc_errc::no_call;
    case intercom::phone_errc::not_ready: return api::webrtc_errc::not_ready;
    case intercom::phone_errc::unavailable: return api::webrtc_errc::unavailable;
  }
  return api::webrtc_errc::unavailable;
}

Error translate(const Error& e) { return Error(to_api(e.code), e.what()); }

api::WebRtcSessionView view(const intercom::PhoneSessionInfo& i) {
  return api::WebRtcSessionView{i.session_id, i.extension, i.peer_connection_id, i.state,
                                i.created_at, i.last_activity, i.user, i.call_id};
}

// features.webrtc.dtls_certificate/dtls_private_key when set, else a fresh P-256 certificate.
std::shared_ptr<webrtc::DtlsCertificate> certificate(const WebRtcConfig& w) {
  if (!w.dtls_certificate.empty()) {
    auto cert = webrtc::DtlsCertificate::load(w.dtls_certificate.string(), w.dtls_private_key.string());
    if (!cert) throw std::runtime_error("features.webrtc.dtls_certificate: " + cert.error().what());
    return *cert;
  }
  auto cert = webrtc::DtlsCertificate::generate();
  if (!cert) throw std::runtime_error("cannot create the DTLS certificate: " + cert.error().what());
  return *cert;
}

}  // namespace

struct WebRtcModule::Impl final : api::WebRtcControl, intercom::BrowserPhones::Listener {
  Impl(boost::asio::io_context& io, const Clock& clock, SipModule& sip, CallsModule& calls, const Config& config)
      : config_(config.features.webrtc),
        engine(io, clock, webrtc_media_config(config)),
        phones(io, clock, sip.server(), engine, certificate(config.features.webrtc),
               phone_options(config, calls.media_address())),
        calls_(calls) {
    phones.set_listener(this);
    portier::log::get("webrtc")->info("browser phone: ports {}..{}, codecs by priority, DTMF {}",
                                      config_.rtp.port_min, config_.rtp.port_max, config_.dtmf.mode);
  }
  ~Impl() override {
    calls_.intercom().set_member_resolver(nullptr);
    phones.set_listener(nullptr);
    phones.stop();
  }

  void on_phone_event(const intercom::PhoneEvent& e) override {
    if (!listener_) return;
    listener_->on_webrtc_event(
        api::WebRtcPhoneEvent{e.user, e.session_id, e.call_id, e.state, e.reason, e.peer, e.door, e.snapshot_url});
  }

  void set_listener(api::WebRtcControl::Listener* listener) override { listener_ = listener; }

  api::WebRtcClientConfig client_config() const override {
    api::WebRtcClientConfig c;
    for (const auto& s : config_.stun_servers) c.ice_servers.push_back({{s}, {}, {}});
    for (const auto& t : config_.turn_servers) c.ice_servers.push_back({{t.url}, t.username, t.credential});
    c.ice_transport_policy = config_.ice_transport_policy;
    c.verbose_logging = config_.verbose_logging;
    c.dtmf_mode = config_.dtmf.mode;
    c.dtmf_duration_ms = config_.dtmf.duration;
    c.echo_cancellation = config_.audio.echo_cancellation;
    c.noise_reduction = config_.audio.noise_reduction;
    c.auto_gain_control = config_.audio.auto_gain_control;
    c.session_timeout_s = static_cast<int>(config_.session_timeout.count());
    return c;
  }

  Result<api::WebRtcSessionView> create_session(const std::string& user, const std::string& extension,
                                                const std::string& client_ip) override {
    auto r = phones.create_session(user, extension, client_ip);
    if (!r) return translate(r.error());
    return view(*r);
  }
  Result<std::string> offer(const std::string& user, const std::string& sid, const std::string& sdp) override {
    auto r = phones.offer(user, sid, sdp);
    if (!r) return translate(r.error());
    return std::move(*r);
  }
  Result<void> add_candidate(const std::string& user, const std::string& sid, const std::string& candidate,
                             const std::string&, int) override {
    return status(phones.add_candidate(user, sid, candidate));
  }
  Result<std::string> call(const std::string& user, const std::string& sid, const std::string& target) override {
    auto r = phones.call(user, sid, target);
    if (!r) return translate(r.error());
    return std::move(*r);
  }
  Result<void> answer(const std::string& user, const std::string& sid, const std::string& call_id) override {
    return status(phones.answer(user, sid, call_id));
  }
  Result<void> decline(const std::string& user, const std::string& sid, const std::string& call_id) override {
    return status(phones.decline(user, sid, call_id));
  }
  Result<void> hangup(const std::string& user, const std::string& sid) override {
    return status(phones.hangup(user, sid));
  }
  Result<void> dtmf(const std::string& user, const std::string& sid, const std::string& digits) override {
    return status(phones.dtmf(user, sid, digits));
  }
  Result<void> close_session(const std::string& user, const std::string& sid) override {
    return status(phones.close_session(user, sid));
  }
  std::vector<api::WebRtcSessionView> sessions(const std::string& user, bool all) const override {
    std::vector<api::WebRtcSessionView> out;
    for (const auto& i : phones.sessions(user, all)) out.push_back(view(i));
    return out;
  }

  static Result<void> status(const Status& s) {
    if (!s) return translate(s.error());
    return {};
  }

  WebRtcConfig config_;
  media::MediaEngine engine;
  intercom::BrowserPhones phones;
  CallsModule& calls_;
  api::WebRtcControl::Listener* listener_ = nullptr;
};

WebRtcModule::WebRtcModule(boost::asio::io_context& io, const Clock& clock, SipModule& sip, CallsModule& calls,
                           const Config& config)
    : impl_(std::make_unique<Impl>(io, clock, sip, calls, config)) {}

WebRtcModule::~WebRtcModule() = default;

api::WebRtcControl& WebRtcModule::control() { return *impl_; }

void WebRtcModule::start() {
  impl_->phones.start();  // needs the main SIP server's listeners
  impl_->calls_.intercom().set_member_resolver(&impl_->phones);
}

}  // namespace portier::app
