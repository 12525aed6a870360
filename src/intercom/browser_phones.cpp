#include "intercom/browser_phones.hpp"

#include <algorithm>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "base/log.hpp"
#include "base/random.hpp"
#include "intercom/dialled_user.hpp"

namespace portier::intercom {

namespace {

// Idle sessions are looked for every 10 s, or every timeout/2 when the timeout is shorter (a timeout of 2 s ends a
// session within 2..3 s instead of up to 12 s).
constexpr auto kMaxSweepInterval = std::chrono::milliseconds(10000);

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};

// "udp:127.0.0.1:5060", "udp:[::1]:5060" -> host (unbracketed), port.
std::optional<HostPort> split_listener(const std::string& spec) {
  const auto first = spec.find(':');
  const auto last = spec.rfind(':');
  if (first == std::string::npos || last == first) return std::nullopt;
  std::string host = spec.substr(first + 1, last - first - 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    const int port = std::stoi(spec.substr(last + 1));
    if (port <= 0 || port > 65535) return std::nullopt;
    return HostPort{host, static_cast<std::uint16_t>(port)};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The user a member or dialled name stands for: "webrtc:alice" and "webrtc-alice" -> "alice"; "webrtc:*" -> "*"
// (every open browser phone).
std::string phone_user(const std::string& member) {
  for (const char* prefix : {"webrtc:", "webrtc-"}) {
    if (member.rfind(prefix, 0) == 0) return member.substr(7);
  }
  return {};
}

}  // namespace

BrowserPhones::BrowserPhones(boost::asio::io_context& io, const Clock& clock, sip::ua::SipServer& main_sip,
                             media::MediaEngine& engine, std::shared_ptr<webrtc::DtlsCertificate> certificate,
                             Options options)
    : io_(io),
      clock_(clock),
      main_sip_(main_sip),
      engine_(engine),
      certificate_(std::move(certificate)),
      options_(std::move(options)),
      sweep_timer_(io),
      log_(portier::log::get("webrtc")) {}

BrowserPhones::~BrowserPhones() { stop(); }

void BrowserPhones::start() {
  // The main server's UDP listener: where the gateway sends its INVITEs and where the main server's INVITEs to
  // browser phones come from.
  const auto listeners = main_sip_.listening();
  std::optional<HostPort> main;
  for (std::size_t i = 0; i < listeners.size(); ++i) {
    if (listeners[i].rfind("udp:", 0) != 0) continue;
    main = split_listener(listeners[i]);
    main_udp_index_ = i;
    if (main) break;
  }
  if (!main) throw std::runtime_error("the browser phone needs a UDP SIP listener (sip.listen: udp:...)");
  const bool v6 = main->host.find(':') != std::string::npos;
  if (main->host == "0.0.0.0") main->host = "127.0.0.1";
  if (main->host == "::") main->host = "::1";
  main_peer_ = sip::txn::Peer{sip::txn::Protocol::udp, main->host, main->port, 0, 0};

  sip::ua::SipServer::Options o;
  o.listen = {v6 && main->host == "::1" ? "udp:[::1]:0" : "udp:127.0.0.1:0"};
  o.domain = options_.domain;
  o.anonymous_calls = true;  // the main server's INVITEs claim no extension of ours; on_incoming_call checks source
  o.nat_keepalive_interval = std::chrono::seconds(0);
  o.server_name = "Portier-WebRTC";
  o.blocked_user_agents.clear();
  gateway_ = std::make_unique<sip::ua::SipServer>(io_, o, directory_, bindings_, nullptr, clock_);
  gateway_->set_invite_handler(this);
  gateway_->start();
  const auto ours = gateway_->listening();
  auto hp = ours.empty() ? std::nullopt : split_listener(ours.front());
  if (!hp) throw std::runtime_error("the browser-phone gateway could not open its SIP socket");
  gateway_address_ = hp->host;
  gateway_port_ = hp->port;
  main_sip_.trust_source(boost::asio::ip::udp::endpoint(boost::asio::ip::make_address(gateway_address_),
                                                        gateway_port_));
  log_->info("browser phones: gateway SIP UA on udp:{}:{}, main server udp:{}:{}", gateway_address_, gateway_port_,
             main_peer_.address, main_peer_.port);
  schedule_sweep();
}

void BrowserPhones::stop() {
  sweep_timer_.cancel();
  for (auto& [id, s] : sessions_) s->close("shutdown");
  sessions_.clear();
  if (gateway_) {
    main_sip_.untrust_source(
        boost::asio::ip::udp::endpoint(boost::asio::ip::make_address(gateway_address_), gateway_port_));
    gateway_->set_invite_handler(nullptr);
    gateway_->stop();
    gateway_.reset();
  }
}

sip::ua::CallLegs::Target BrowserPhones::main_target(const std::string& user) const {
  const std::string host = main_peer_.address.find(':') != std::string::npos ? "[" + main_peer_.address + "]"
                                                                             : main_peer_.address;
  return sip::ua::CallLegs::Target{"sip:" + user + "@" + host + ":" + std::to_string(main_peer_.port), main_peer_};
}

std::size_t BrowserPhones::registered_contacts(const std::string& extension) const {
  return main_sip_.registrations(extension).size();
}

void BrowserPhones::publish(const PhoneEvent& e) {
  if (options_.verbose)
    log_->info("[VERBOSE] Phone event for {}: session {} call {} {} {}", e.user, e.session_id, e.call_id, e.state,
               e.reason);
  if (listener_) listener_->on_phone_event(e);
}

Result<BrowserPhoneSession*> BrowserPhones::find(const std::string& user, const std::string& session_id) {
  auto it = sessions_.find(session_id);
  if (options_.verbose)
    log_->info("[VERBOSE] Session lookup: {} for {}: {}", session_id, user, it == sessions_.end() ? "not found" : "found");
  if (it == sessions_.end() || it->second->user() != user || it->second->closed())
    return Error(phone_errc::unknown_session, "unknown WebRTC session");
  return it->second.get();
}

Result<PhoneSessionInfo> BrowserPhones::create_session(const std::string& user, const std::string& extension,
                                                       const std::string& client_ip) {
  if (!gateway_) return Error(phone_errc::unavailable, "the browser-phone gateway is not running");
  const auto mine = std::count_if(sessions_.begin(), sessions_.end(),
                                  [&](const auto& kv) { return kv.second->user() == user; });
  if (static_cast<std::size_t>(mine) >= options_.max_sessions_per_user) {
    // The oldest idle session of this user makes room (tabs that were closed without DELETE).
    BrowserPhoneSession* oldest = nullptr;
    for (auto& [id, s] : sessions_) {
      if (s->user() != user || s->has_call()) continue;
      if (!oldest || s->last_activity_steady() < oldest->last_activity_steady()) oldest = s.get();
    }
    if (!oldest) return Error(phone_errc::busy, "too many browser-phone sessions for this user");
    log_->info("browser phones: {} has {} sessions; closing the oldest idle one {}", user, mine, oldest->id());
    oldest->close("replaced");
    sessions_.erase(oldest->id());
  }
  if (sessions_.size() >= options_.max_sessions) return Error(phone_errc::unavailable, "too many sessions");
  auto id = random_uuid();
  auto s = std::make_unique<BrowserPhoneSession>(*this, id, user, extension.empty() ? "webrtc:" + user : extension);
  auto info = s->info();
  sessions_.emplace(id, std::move(s));
  log_->info("browser phones: session {} for {} from {} ({} open)", id, user, client_ip, sessions_.size());
  return info;
}

Result<std::string> BrowserPhones::offer(const std::string& user, const std::string& session_id,
                                         const std::string& sdp) {
  auto s = find(user, session_id);
  if (!s) return s.error();
  return (*s)->offer(sdp);
}

Status BrowserPhones::add_candidate(const std::string& user, const std::string& session_id,
                                    const std::string& candidate) {
  auto s = find(user, session_id);
  if (!s) return s.error();
  return (*s)->add_candidate(candidate);
}

Result<std::string> BrowserPhones::call(const std::string& user, const std::string& session_id,
                                        const std::string& target) {
  auto s = find(user, session_id);
  if (!s) return s.error();
  return (*s)->call(target);
}

Status BrowserPhones::answer(const std::string& user, const std::string& session_id, const std::string& call_id) {
  auto s = find(user, session_id);
  if (!s) return s.error();
  return (*s)->answer(call_id);
}

Status BrowserPhones::decline(const std::string& user, const std::string& session_id, const std::string& call_id) {
  auto s = find(user, session_id);
  if (!s) return s.error();
  return (*s)->decline(call_id);
}

Status BrowserPhones::hangup(const std::string& user, const std::string& session_id) {
  auto s = find(user, session_id);
  if (!s) return s.error();
  return (*s)->hangup();
}

Status BrowserPhones::dtmf(const std::string& user, const std::string& session_id, const std::string& digits) {
  auto s = find(user, session_id);
  if (!s) return s.error();
  return (*s)->dtmf(digits);
}

Status BrowserPhones::close_session(const std::string& user, const std::string& session_id) {
  auto s = find(user, session_id);
  if (!s) return s.error();
  (*s)->close("hangup");
  reap(session_id);
  return {};
}

std::vector<PhoneSessionInfo> BrowserPhones::sessions(const std::string& user, bool all) const {
  std::vector<PhoneSessionInfo> out;
  for (const auto& [id, s] : sessions_) {
    if (s->closed() || (!all && s->user() != user)) continue;
    out.push_back(s->info());
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
  return out;
}

std::vector<sip::ua::CallLegs::Target> BrowserPhones::targets(const std::string& member) {
  std::vector<sip::ua::CallLegs::Target> out;
  const std::string user = phone_user(member);
  if (user.empty() || !gateway_) return out;
  const std::string host = gateway_address_.find(':') != std::string::npos ? "[" + gateway_address_ + "]"
                                                                            : gateway_address_;
  for (const auto& [id, s] : sessions_) {
    if ((user != "*" && s->user() != user) || s->closed() || s->has_call()) continue;
    sip::txn::Peer peer{sip::txn::Protocol::udp, gateway_address_, gateway_port_, 0, main_udp_index_};
    out.push_back({"sip:" + s->contact_user() + "@" + host + ":" + std::to_string(gateway_port_), peer});
  }
  if (options_.verbose) log_->info("[VERBOSE] Ring {}: {} browser session(s)", member, out.size());
  return out;
}

std::string BrowserPhones::who(const sip::ua::CallLegs::Target& target) const {
  const std::string contact = dialled_user(target.uri);
  if (contact.rfind("wrtc-", 0) != 0) return {};
  auto it = sessions_.find(contact.substr(5));
  return it == sessions_.end() ? std::string() : "webrtc:" + it->second->user();
}

void BrowserPhones::on_incoming_call(sip::ua::CallLeg& leg, const sip::ua::IncomingCall& call) {
  // Only the main server may call browser phones (the gateway socket is on loopback, but other local processes
  // could reach it).
  if (call.source.address != main_peer_.address || call.source.port != main_peer_.port) {
    log_->warn("browser phones: INVITE from {} refused (only the main SIP server may call browser phones)",
               call.source.to_string());
    leg.reject(403, "Forbidden");
    return;
  }
  const std::string contact = dialled_user(call.request_uri);
  BrowserPhoneSession* session = nullptr;
  if (contact.rfind("wrtc-", 0) == 0) {
    auto it = sessions_.find(contact.substr(5));
    if (it != sessions_.end() && !it->second->closed()) session = it->second.get();
  }
  if (!session) {
    leg.reject(404, "Not Found");
    return;
  }
  std::string door;
  std::string door_name;
  if (auto d = options_.doors.find(call.from_display); d != options_.doors.end()) {
    door = d->first;
    door_name = d->second.empty() ? d->first : d->second;
  }
  session->on_incoming(leg, call, std::move(door), std::move(door_name));
}

void BrowserPhones::reap(const std::string& session_id) {
  std::weak_ptr<char> alive = alive_;
  boost::asio::post(io_, [this, alive, session_id] {
    if (alive.expired()) return;
    auto it = sessions_.find(session_id);
    if (it != sessions_.end() && it->second->closed()) sessions_.erase(it);
  });
}

void BrowserPhones::sweep() {
  const auto now = clock_.steady_now();
  std::vector<std::string> gone;
  for (auto& [id, s] : sessions_) {
    if (s->has_call()) {
      s->touch();  // a call in progress is activity
      continue;
    }
    if (s->closed() || now - s->last_activity_steady() >= options_.session_timeout) gone.push_back(id);
  }
  for (const auto& id : gone) {
    auto it = sessions_.find(id);
    log_->info("browser phones: session {} of {} timed out", id, it->second->user());
    PhoneEvent e;
    e.user = it->second->user();
    e.session_id = id;
    e.state = "ended";
    e.reason = "timeout";
    it->second->close("timeout");
    sessions_.erase(it);
    publish(e);
  }
}

void BrowserPhones::schedule_sweep() {
  const auto half = std::chrono::duration_cast<std::chrono::milliseconds>(options_.session_timeout) / 2;
  sweep_timer_.expires_after(std::clamp(half, std::chrono::milliseconds(500), kMaxSweepInterval));
  std::weak_ptr<char> alive = alive_;
  sweep_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    sweep();
    schedule_sweep();
  });
}

std::string BrowserPhones::dump() const {
  std::string s = "BrowserPhones gateway=udp:" + gateway_address_ + ":" + std::to_string(gateway_port_) +
                  " sessions=" + std::to_string(sessions_.size());
  for (const auto& [id, session] : sessions_) s += "\n  " + session->dump();
  return s;
}

}  // namespace portier::intercom
