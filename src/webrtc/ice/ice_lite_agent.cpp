// IceLiteAgent: the checks of RFC 5389 §10.1.2 in order (fingerprint, presence of USERNAME and M-I, username,
// integrity, unknown attributes), then the ICE rules of RFC 8445 §7.3 for a controlled lite agent.
#include "webrtc/ice/ice_lite_agent.hpp"

#include <algorithm>

#include "base/log.hpp"
#include "base/random.hpp"

namespace portier::webrtc {
namespace {

namespace attr = stun::attr;

stun::Address to_stun_address(const boost::asio::ip::udp::endpoint& ep) {
  stun::Address a;
  a.port = ep.port();
  auto ip = ep.address();
  if (ip.is_v6() && ip.to_v6().is_v4_mapped())  // a dual-stack socket: tell the browser the IPv4 it used
    ip = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, ip.to_v6());
  if (ip.is_v4()) {
    const auto b = ip.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), a.bytes.begin());
  } else {
    a.v6 = true;
    a.bytes = ip.to_v6().to_bytes();
  }
  return a;
}

// Attributes below 0x8000 must be understood (RFC 5389 §15); these are the ones a binding request may carry.
bool understood(std::uint16_t type) {
  return type >= 0x8000 || type == attr::mapped_address || type == attr::username ||
         type == attr::message_integrity || type == attr::error_code || type == attr::unknown_attributes ||
         type == attr::xor_mapped_address || type == attr::priority || type == attr::use_candidate;
}

std::string endpoint_text(const boost::asio::ip::udp::endpoint& ep) {
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

std::string_view to_string(IceLiteAgent::State s) {
  switch (s) {
    case IceLiteAgent::State::waiting: return "waiting";
    case IceLiteAgent::State::connected: return "connected";
    case IceLiteAgent::State::disconnected: return "disconnected";
    case IceLiteAgent::State::failed: return "failed";
  }
  return "?";
}

IceLiteAgent::IceLiteAgent(IceCredentials local, Options options)
    : local_(std::move(local)), options_(options) {}

void IceLiteAgent::set_remote_credentials(std::string ufrag, std::string pwd) {
  remote_ = IceCredentials{std::move(ufrag), std::move(pwd)};
}

void IceLiteAgent::add_remote_candidate(const IceCandidate& c) {
  if (c.transport != "udp" || remote_candidates_.size() >= options_.max_remote_candidates) return;
  const bool known = std::any_of(remote_candidates_.begin(), remote_candidates_.end(), [&](const IceCandidate& k) {
    return k.endpoint == c.endpoint && k.component == c.component;
  });
  if (!known) remote_candidates_.push_back(c);
}

bool IceLiteAgent::integrity_ok(const stun::Message& req) const {
  const auto* mi = req.find(attr::message_integrity);
  const auto input = req.integrity_input();
  if (!mi || !input) return false;
  const auto mac = hmac_sha1(local_.pwd, *input);
  return constant_time_equal(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()),
                             std::string_view(reinterpret_cast<const char*>(mi->value.data()), mi->value.size()));
}

IceLiteAgent::Outcome IceLiteAgent::error_response(const stun::Message& req, int code, std::string_view reason,
                                                   bool authenticate) {
  stun::MessageBuilder b(stun::kBinding, stun::Class::error, req.transaction_id);
  b.add_error_code(code, reason);
  if (code == 420) {
    std::vector<std::uint16_t> unknown;
    for (const auto& a : req.attributes)
      if (!understood(a.type) && unknown.size() < 16) unknown.push_back(a.type);
    b.add_unknown_attributes(unknown);
  }
  stun::HmacSha1 mac;
  if (authenticate) mac = [this](std::span<const std::uint8_t> d) { return hmac_sha1(local_.pwd, d); };
  ++counters_.responses;
  return Outcome{b.finish(mac, true), false, false};
}

IceLiteAgent::Outcome IceLiteAgent::success_response(const stun::Message& req,
                                                     const boost::asio::ip::udp::endpoint& from) {
  stun::MessageBuilder b(stun::kBinding, stun::Class::success, req.transaction_id);
  b.add_xor_mapped_address(to_stun_address(from));
  ++counters_.responses;
  return Outcome{b.finish([this](std::span<const std::uint8_t> d) { return hmac_sha1(local_.pwd, d); }, true),
                 false, false};
}

IceLiteAgent::Outcome IceLiteAgent::on_stun(std::span<const std::uint8_t> data,
                                            const boost::asio::ip::udp::endpoint& from, Clock::SteadyTime now) {
  Outcome ignored;
  ignored.ignored = true;
  auto parsed = stun::parse(data);
  if (!parsed) {
    ++counters_.malformed;
    return ignored;
  }
  const stun::Message& req = *parsed;
  if (req.method != stun::kBinding || req.cls != stun::Class::request) {
    ++counters_.not_request;
    return ignored;
  }
  ++counters_.requests;
  if (!stun::fingerprint_ok(req)) {  // RFC 8445 §7.1: every ICE check carries FINGERPRINT
    ++counters_.malformed;
    return ignored;
  }
  const auto username = req.username();
  if (!username || !req.has(attr::message_integrity)) {
    ++counters_.malformed;
    return error_response(req, 400, "Bad Request", false);
  }
  const auto colon = username->find(':');
  if (colon == std::string_view::npos || username->substr(0, colon) != local_.ufrag) {
    ++counters_.bad_username;
    return error_response(req, 401, "Unauthenticated", false);
  }
  if (!integrity_ok(req)) {
    ++counters_.bad_integrity;
    return ignored;
  }
  if (!std::all_of(req.attributes.begin(), req.attributes.end(), [](const auto& a) { return understood(a.type); }))
    return error_response(req, 420, "Unknown Attribute", true);
  // A lite agent is always controlled (RFC 8445 §6.1.1); two controlled agents is a role conflict (§7.3.1.1).
  if (req.has(attr::ice_controlled)) return error_response(req, 487, "Role Conflict", true);

  Outcome out = success_response(req, from);
  on_valid_request(req, from, now, out);
  return out;
}

void IceLiteAgent::on_valid_request(const stun::Message& req, const boost::asio::ip::udp::endpoint& from,
                                    Clock::SteadyTime now, Outcome& out) {
  if (state_ == State::failed) return;  // consent lost is final (RFC 7675 §5.1)
  if (req.has(attr::use_candidate)) {
    out.nominated = true;
    ++counters_.nominations;
    if (selected_ != from)
      log::get("webrtc")->debug("ice {}: nominated {}", local_.ufrag, endpoint_text(from));
    selected_ = from;  // the latest nomination wins
  }
  if (selected_ && *selected_ == from) {
    last_consent_ = now;
    state_ = State::connected;
  }
}

IceLiteAgent::State IceLiteAgent::tick(Clock::SteadyTime now) {
  if (state_ != State::connected && state_ != State::disconnected) return state_;
  const auto silent = now - last_consent_;
  const State before = state_;
  if (silent >= options_.consent_timeout) {
    state_ = State::failed;
  } else if (silent >= options_.disconnected_after) {
    state_ = State::disconnected;
  }
  if (state_ != before)
    log::get("webrtc")->debug("ice {}: {} -> {}", local_.ufrag, to_string(before), to_string(state_));
  return state_;
}

std::string IceLiteAgent::dump() const {
  std::string s = "IceLiteAgent{ufrag=" + local_.ufrag + " state=" + std::string(to_string(state_));
  if (remote_) s += " remote_ufrag=" + remote_->ufrag;
  if (selected_) s += " selected=" + endpoint_text(*selected_);
  s += " candidates=" + std::to_string(remote_candidates_.size()) + " requests=" +
       std::to_string(counters_.requests) + " responses=" + std::to_string(counters_.responses) +
       " bad_integrity=" + std::to_string(counters_.bad_integrity) + " bad_username=" +
       std::to_string(counters_.bad_username) + " malformed=" + std::to_string(counters_.malformed) + "}";
  return s;
}

}  // namespace portier::webrtc
