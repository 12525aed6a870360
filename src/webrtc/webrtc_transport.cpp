#include "webrtc/webrtc_transport.hpp"

#include <ifaddrs.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

#include "base/log.hpp"
#include "webrtc/stun/demux.hpp"
#include "webrtc/stun/stun_message.hpp"

namespace portier::webrtc {
namespace {

std::string to_text(const media::Endpoint& e) { return e.address().to_string() + ":" + std::to_string(e.port()); }

IceCandidate host_candidate(const boost::asio::ip::address& address, std::uint16_t port, int local_preference,
                            int index) {
  IceCandidate c;
  c.foundation = std::to_string(index + 1);
  c.component = 1;
  c.transport = "udp";
  c.priority = host_priority(local_preference, 1);
  c.endpoint = media::Endpoint(address, port);
  c.type = "host";
  return c;
}

// Every IPv4 interface address, loopback last.
std::vector<boost::asio::ip::address> interface_addresses() {
  std::vector<boost::asio::ip::address> out;
  std::vector<boost::asio::ip::address> loopback;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return {boost::asio::ip::make_address_v4("127.0.0.1")};
  for (auto* i = list; i != nullptr; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
    sockaddr_in sin{};
    std::memcpy(&sin, i->ifa_addr, sizeof sin);
    const auto a = boost::asio::ip::address_v4(ntohl(sin.sin_addr.s_addr));
    auto& list_for = a.is_loopback() ? loopback : out;
    if (std::find(list_for.begin(), list_for.end(), boost::asio::ip::address(a)) == list_for.end()) {
      list_for.emplace_back(a);
    }
  }
  freeifaddrs(list);
  out.insert(out.end(), loopback.begin(), loopback.end());
  return out;
}

}  // namespace

std::string_view to_string(WebRtcTransport::State s) {
  switch (s) {
    case WebRtcTransport::State::idle:
      return "idle";
    case WebRtcTransport::State::connecting:
      return "connecting";
    case WebRtcTransport::State::connected:
      return "connected";
    case WebRtcTransport::State::failed:
      return "failed";
    case WebRtcTransport::State::closed:
      return "closed";
  }
  return "?";
}

WebRtcTransport::WebRtcTransport(boost::asio::io_context& io, const Clock& clock, media::RtpSocket& socket,
                                 std::shared_ptr<DtlsCertificate> certificate, IceCredentials local, Options options,
                                 Listener& listener)
    : io_(io),
      clock_(clock),
      socket_(socket),
      options_(options),
      listener_(listener),
      ice_(std::make_unique<IceLiteAgent>(std::move(local), IceLiteAgent::Options{options.consent_timeout})),
      port_(socket.port()),
      dtls_(std::make_unique<DtlsTransport>(std::move(certificate), static_cast<DtlsTransport::Listener&>(*this))),
      dtls_timer_(io),
      tick_timer_(io) {}

WebRtcTransport::~WebRtcTransport() {
  alive_.reset();
  dtls_timer_.cancel();
  tick_timer_.cancel();
}

template <class... Args>
void WebRtcTransport::verbose(const char* fmt, Args&&... args) const {
  if (!options_.verbose) return;
  log::get("webrtc")->info("[VERBOSE] transport {}: {}", ice_->local().ufrag,
                           fmt::format(fmt::runtime(fmt), std::forward<Args>(args)...));
}

void WebRtcTransport::start(const Remote& remote) {
  if (state_ != State::idle) return;
  remote_ = remote;
  ice_->set_remote_credentials(remote.ice_ufrag, remote.ice_pwd);
  dtls_->set_remote_fingerprint(remote.fingerprint_algorithm, remote.fingerprint);
  state_ = State::connecting;
  deadline_ = clock_.steady_now() + options_.connect_timeout;
  verbose("start: remote ufrag {}, fingerprint {} {}, waiting for ICE checks on port {}", remote.ice_ufrag,
          remote.fingerprint_algorithm, remote.fingerprint, socket_.port());
  dtls_->start(DtlsRole::server);
  if (state_ != State::connecting) return;  // start() may fail at once (no certificate)
  arm_dtls_timer();
  schedule_tick();
}

void WebRtcTransport::restart_ice(IceCredentials local, const Remote& remote) {
  auto candidates = ice_->remote_candidates();
  ice_ = std::make_unique<IceLiteAgent>(std::move(local), IceLiteAgent::Options{options_.consent_timeout});
  ice_->set_remote_credentials(remote.ice_ufrag, remote.ice_pwd);
  remote_.ice_ufrag = remote.ice_ufrag;
  remote_.ice_pwd = remote.ice_pwd;
  // The new agent must see a nomination within the connect timeout, or consent is gone.
  deadline_ = clock_.steady_now() + options_.connect_timeout;
  restarting_ = true;
  verbose("ICE restart: new local ufrag {}", ice_->local().ufrag);
}

void WebRtcTransport::add_remote_candidate(const IceCandidate& c) {
  ice_->add_remote_candidate(c);
  verbose("remote candidate {}", c.line());
}

void WebRtcTransport::on_datagram(std::span<std::uint8_t> data, const media::Endpoint& from) {
  if (state_ == State::idle || state_ == State::closed || state_ == State::failed) {
    ++counters_.unknown;
    return;
  }
  switch (stun::classify(data)) {
    case stun::PacketKind::stun:
      on_stun(data, from);
      return;
    case stun::PacketKind::dtls:
      on_dtls(data, from);
      return;
    case stun::PacketKind::rtp:
      on_srtp(data, from, false);
      return;
    case stun::PacketKind::rtcp:
      on_srtp(data, from, true);
      return;
    case stun::PacketKind::unknown:
      ++counters_.unknown;
      return;
  }
}

void WebRtcTransport::on_stun(std::span<std::uint8_t> data, const media::Endpoint& from) {
  ++counters_.stun_in;
  const bool had_selection = selected_.has_value();
  auto outcome = ice_->on_stun(data, from, clock_.steady_now());
  if (outcome.ignored || outcome.response.empty()) {
    verbose("STUN from {} ignored", to_text(from));
    return;
  }
  auto parsed = stun::parse(outcome.response);
  const bool success = parsed && parsed->cls == stun::Class::success;
  if (success && !validated(from)) {
    if (validated_.size() == kMaxValidated) validated_.erase(validated_.begin());
    validated_.push_back(from);
    verbose("ICE check from {} answered: address validated", to_text(from));
  }
  socket_.send_to(outcome.response, from);
  if (outcome.nominated) {
    if (!had_selection || selected_ != from) verbose("ICE nominated {}", to_text(from));
    selected_ = from;
    restarting_ = false;
    maybe_connected();
  }
}

void WebRtcTransport::on_dtls(std::span<std::uint8_t> data, const media::Endpoint& from) {
  ++counters_.dtls_in;
  if (!validated(from)) {
    ++counters_.unvalidated;
    verbose("DTLS from {} dropped: no ICE check from there yet", to_text(from));
    return;
  }
  dtls_peer_ = from;
  dtls_->on_datagram(data);
  if (state_ == State::connecting) arm_dtls_timer();
}

void WebRtcTransport::on_srtp(std::span<std::uint8_t> data, const media::Endpoint& from, bool rtcp) {
  if (!srtp_in_) {
    ++counters_.not_connected;
    return;
  }
  if (!validated(from)) {
    ++counters_.unvalidated;
    return;
  }
  auto plain = rtcp ? srtp_in_->unprotect_rtcp(data.data(), data.size())
                    : srtp_in_->unprotect_rtp(data.data(), data.size());
  if (!plain) {
    ++counters_.srtp_errors;
    if (options_.verbose && counters_.srtp_errors <= 5) {
      verbose("SRT{}P from {} rejected: {}", rtcp ? "C" : "", to_text(from), plain.error().what());
    }
    return;
  }
  if (rtcp) {
    ++counters_.rtcp_in;
    listener_.on_transport_rtcp(*this, data.first(*plain));
  } else {
    ++counters_.rtp_in;
    listener_.on_transport_rtp(*this, data.first(*plain));
  }
}

bool WebRtcTransport::validated(const media::Endpoint& from) const {
  return std::find(validated_.begin(), validated_.end(), from) != validated_.end();
}

bool WebRtcTransport::send_rtp(std::span<const std::uint8_t> plain) { return send_protected(plain, false); }
bool WebRtcTransport::send_rtcp(std::span<const std::uint8_t> plain) { return send_protected(plain, true); }

bool WebRtcTransport::send_protected(std::span<const std::uint8_t> plain, bool rtcp) {
  const auto to = selected_;
  if (state_ != State::connected || !srtp_out_ || !to) {
    ++counters_.not_connected;
    return false;
  }
  if (plain.size() > kMaxPacket) {
    ++counters_.srtp_errors;
    return false;
  }
  std::memcpy(tx_.data(), plain.data(), plain.size());
  auto size = rtcp ? srtp_out_->protect_rtcp(tx_.data(), plain.size(), tx_.size())
                   : srtp_out_->protect_rtp(tx_.data(), plain.size(), tx_.size());
  if (!size) {
    ++counters_.srtp_errors;
    return false;
  }
  if (!socket_.send_to(std::span<const std::uint8_t>(tx_.data(), *size), *to)) return false;
  ++(rtcp ? counters_.rtcp_out : counters_.rtp_out);
  return true;
}

void WebRtcTransport::on_dtls_send(std::span<const std::uint8_t> datagram) {
  // The DTLS client is where its records come from; before any, the nominated address.
  const auto to = dtls_peer_ ? dtls_peer_ : selected_;
  if (!to) return;
  socket_.send_to(datagram, *to);
}

void WebRtcTransport::on_dtls_connected(const SrtpKeys& keys) {
  auto in = SrtpSession::create(SrtpSession::Direction::inbound, keys.profile, keys.remote);
  auto out = SrtpSession::create(SrtpSession::Direction::outbound, keys.profile, keys.local);
  if (!in || !out) {
    fail("SRTP set-up failed: " + (!in ? in.error().what() : out.error().what()));
    return;
  }
  srtp_in_ = std::move(*in);
  srtp_out_ = std::move(*out);
  verbose("DTLS connected ({}), SRTP keyed", srtp_profile_name(keys.profile));
  maybe_connected();
}

void WebRtcTransport::on_dtls_failed(const std::string& reason) { fail("DTLS failed: " + reason); }

void WebRtcTransport::on_dtls_closed() {
  if (state_ == State::failed || state_ == State::closed) return;
  verbose("DTLS close_notify from the browser");
  state_ = State::failed;
  failure_ = "DTLS closed by the browser";
  dtls_timer_.cancel();
  tick_timer_.cancel();
  listener_.on_transport_closed(*this);
}

void WebRtcTransport::maybe_connected() {
  if (state_ != State::connecting || !srtp_out_ || !selected_) return;
  state_ = State::connected;
  dtls_timer_.cancel();
  verbose("connected: media to {}", to_text(*selected_));
  listener_.on_transport_connected(*this);
}

void WebRtcTransport::fail(const std::string& reason) {
  if (state_ == State::failed || state_ == State::closed) return;
  state_ = State::failed;
  failure_ = reason;
  dtls_timer_.cancel();
  tick_timer_.cancel();
  log::get("webrtc")->warn("transport {}: {}", ice_->local().ufrag, reason);
  listener_.on_transport_failed(*this, reason);
}

void WebRtcTransport::close() {
  if (state_ == State::closed) return;
  if (state_ == State::connected || state_ == State::connecting) dtls_->close();
  state_ = State::closed;
  dtls_timer_.cancel();
  tick_timer_.cancel();
  verbose("closed");
}

void WebRtcTransport::arm_dtls_timer() {
  const auto timeout = dtls_->timeout();
  if (!timeout) return;
  dtls_timer_.expires_after(*timeout);
  dtls_timer_.async_wait([this, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
    if (ec || alive.expired() || state_ != State::connecting) return;
    dtls_->on_timeout();
    if (state_ == State::connecting) arm_dtls_timer();
  });
}

void WebRtcTransport::schedule_tick() {
  tick_timer_.expires_after(options_.tick_interval);
  tick_timer_.async_wait([this, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    on_tick();
  });
}

void WebRtcTransport::on_tick() {
  if (state_ != State::connecting && state_ != State::connected) return;
  const auto now = clock_.steady_now();
  if (restarting_ && now >= deadline_) {
    fail("no ICE check from the browser after the ICE restart");
    return;
  }
  if (state_ == State::connecting && now >= deadline_) {
    const bool ice = selected_.has_value();
    fail(ice ? "DTLS handshake not finished in time" : "no ICE connectivity check from the browser in time");
    return;
  }
  if (!restarting_ && ice_->tick(now) == IceLiteAgent::State::failed) {
    fail("ICE consent lost (no check from the browser for " + std::to_string(options_.consent_timeout.count()) +
         " ms)");
    return;
  }
  schedule_tick();
}

std::vector<IceCandidate> WebRtcTransport::host_candidates(const boost::asio::ip::address& bind_address,
                                                           const std::optional<boost::asio::ip::address>& announced,
                                                           std::uint16_t port) {
  if (announced) return {host_candidate(*announced, port, 65535, 0)};
  if (!bind_address.is_unspecified()) return {host_candidate(bind_address, port, 65535, 0)};
  std::vector<IceCandidate> out;
  for (const auto& a : interface_addresses()) {
    const int pref = a.is_loopback() ? 1000 : 65535 - static_cast<int>(out.size());
    out.push_back(host_candidate(a, port, pref, static_cast<int>(out.size())));
  }
  return out;
}

std::string WebRtcTransport::dump() const {
  std::string s = "WebRtcTransport{" + std::string(to_string(state_)) + " port=" + std::to_string(port_) +
                  " " + ice_->dump() + " " + dtls_->dump();
  if (srtp_in_) s += " in=" + srtp_in_->dump();
  if (srtp_out_) s += " out=" + srtp_out_->dump();
  s += " stun=" + std::to_string(counters_.stun_in) + " dtls=" + std::to_string(counters_.dtls_in) +
       " rtp_in=" + std::to_string(counters_.rtp_in) + " rtp_out=" + std::to_string(counters_.rtp_out) +
       " srtp_err=" + std::to_string(counters_.srtp_errors) + " unvalidated=" + std::to_string(counters_.unvalidated);
  if (!failure_.empty()) s += " failure=\"" + failure_ + "\"";
  return s + "}";
}

}  // namespace portier::webrtc
