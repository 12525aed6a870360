#include "intercom/browser_phone_session.hpp"

#include <spdlog/spdlog.h>

#include "base/random.hpp"
#include "intercom/browser_phone_error.hpp"
#include "intercom/browser_phones.hpp"
#include "media/media_relay.hpp"
#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"

namespace portier::intercom {

using sip::ua::Body;
using sip::ua::CallLeg;

namespace {

bool valid_digit(char c) {
  return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D') || (c >= 'a' && c <= 'd');
}

// Why an outgoing INVITE failed, as the browser shows it.
std::string failure_reason(int status) {
  switch (status) {
    case 486:
    case 600: return "busy";
    case 603: return "declined";
    case 404:
    case 484:
    case 604: return "not_found";
    case 408:
    case 480: return "no_answer";
    case 487: return "cancelled";
    default: return "failed";
  }
}

std::string end_reason(sip::ua::EndReason why) {
  switch (why) {
    case sip::ua::EndReason::remote_bye: return "hangup";
    case sip::ua::EndReason::cancelled: return "cancelled";
    case sip::ua::EndReason::ring_timeout: return "no_answer";
    case sip::ua::EndReason::ack_timeout:
    case sip::ua::EndReason::session_expired:
    case sip::ua::EndReason::dialog_gone: return "timeout";
  }
  return "failed";
}

}  // namespace

const char* to_string(BrowserPhoneSession::State s) {
  switch (s) {
    case BrowserPhoneSession::State::fresh: return "new";
    case BrowserPhoneSession::State::connecting: return "connecting";
    case BrowserPhoneSession::State::connected: return "connected";
    case BrowserPhoneSession::State::ringing: return "ringing";
    case BrowserPhoneSession::State::calling: return "calling";
    case BrowserPhoneSession::State::in_call: return "in_call";
    case BrowserPhoneSession::State::failed: return "failed";
    case BrowserPhoneSession::State::closed: return "closed";
  }
  return "?";
}

BrowserPhoneSession::BrowserPhoneSession(BrowserPhones& owner, std::string id, std::string user,
                                         std::string extension)
    : owner_(owner),
      id_(std::move(id)),
      user_(std::move(user)),
      extension_(std::move(extension)),
      peer_connection_id_(random_hex(8)),
      created_at_(owner.clock().now()),
      last_activity_(created_at_),
      last_activity_steady_(owner.clock().steady_now()),
      digit_timer_(owner.io()) {}

BrowserPhoneSession::~BrowserPhoneSession() {
  if (leg_) {
    leg_->set_listener(nullptr);
    leg_->hangup();
  }
  if (endpoint_) endpoint_->close();
}

void BrowserPhoneSession::touch() {
  last_activity_ = owner_.clock().now();
  last_activity_steady_ = owner_.clock().steady_now();
}

void BrowserPhoneSession::set_state(State s) {
  if (state_ == s) return;
  if (owner_.verbose())
    owner_.log().info("[VERBOSE] Session {} state: {} -> {}", id_, to_string(state_), to_string(s));
  state_ = s;
}

Result<std::string> BrowserPhoneSession::offer(std::string_view sdp) {
  touch();
  if (owner_.verbose()) owner_.log().info("[VERBOSE] SDP offer for session {} ({} bytes)", id_, sdp.size());
  if (endpoint_ && leg_ && state_ == State::in_call) {  // renegotiation of the call's peer connection
    auto answer = endpoint_->accept_offer(sdp);
    if (!answer) return Error(phone_errc::bad_request, answer.error().what());
    return answer;
  }
  if (endpoint_) endpoint_->close();
  auto ep = webrtc::WebRtcEndpoint::create(owner_.engine(), owner_.certificate(), owner_.options().endpoint, *this);
  if (!ep) return Error(phone_errc::unavailable, "no media ports: " + ep.error().what());
  auto answer = (*ep)->accept_offer(sdp);
  if (!answer) {
    (*ep)->close();
    const bool codec = answer.error().message.find("codec") != std::string::npos;
    return Error(codec ? phone_errc::no_common_codec : phone_errc::bad_request, answer.error().what());
  }
  endpoint_ = std::move(*ep);
  media_failure_.clear();
  peer_connection_id_ = random_hex(8);
  if (!has_call()) set_state(State::connecting);
  if (owner_.verbose())
    owner_.log().info("[VERBOSE] SDP answer for session {}: browser codec {}, SIP-side port {}", id_,
                      endpoint_->browser_codec(), endpoint_->sip_port());
  return answer;
}

Status BrowserPhoneSession::add_candidate(std::string_view candidate) {
  touch();
  if (!endpoint_) {
    // Late candidates of a peer connection whose call already ended (or before any offer): nothing to do.
    if (owner_.verbose()) owner_.log().info("[VERBOSE] Candidate ignored on session {}: no media endpoint", id_);
    return {};
  }
  auto st = endpoint_->add_remote_candidate(candidate);
  if (!st) return Error(phone_errc::bad_request, st.error().what());
  return {};
}

sdp::LocalMedia BrowserPhoneSession::sip_local() const {
  sdp::LocalMedia m;
  m.address = owner_.options().media_address;
  m.port = endpoint_->sip_port();
  m.session_id = std::to_string(std::hash<std::string>{}(id_) % 1000000000);
  m.session_version = std::to_string(sdp_version_);
  m.username = "portier-webrtc";
  m.codecs.clear();
  const auto& browser = endpoint_->browser_codec();
  int prio = 0;
  // Pass-through when the SIP side agrees on the browser's G.711 law; the endpoint transcodes otherwise.
  if (browser == "PCMA") m.codecs.push_back({"PCMA", 8, 8000, 1, true, prio++, ""});
  m.codecs.push_back({"PCMU", 0, 8000, 1, true, prio++, ""});
  if (browser != "PCMA") m.codecs.push_back({"PCMA", 8, 8000, 1, true, prio++, ""});
  m.codecs.push_back({"telephone-event", owner_.options().endpoint.sip_telephone_event_pt, 8000, 1, true, prio++,
                      "0-16"});
  m.ptime = owner_.options().endpoint.ptime;
  return m;
}

Status BrowserPhoneSession::bridge(const sdp::NegotiatedMedia& media) {
  auto remote = media::leg_remote_from(media);
  if (!remote) return Error(phone_errc::bad_request, remote.error().what());
  const bool alaw = media.codec.name == "PCMA" || media.codec.name == "pcma";
  endpoint_->set_sip_remote(*remote, alaw ? webrtc::SipCodec::pcma : webrtc::SipCodec::pcmu);
  return {};
}

Result<std::string> BrowserPhoneSession::call(const std::string& target) {
  touch();
  if (owner_.verbose()) owner_.log().info("[VERBOSE] Call initiation: session {} -> {}", id_, target);
  if (target.empty() || target.size() > 64 || target.find_first_of("@:;<> \t\r\n\"") != std::string::npos)
    return Error(phone_errc::bad_request, "target_extension must be an extension number or name");
  if (has_call()) return Error(phone_errc::busy, "this session already has a call");
  // A failed media connection (e.g. a DTLS fingerprint mismatch) is not "busy" or "not ready": say what failed.
  if (!media_failure_.empty()) return Error(phone_errc::bad_request, "the media connection failed: " + media_failure_);
  if (!endpoint_) return Error(phone_errc::not_ready, "send the SDP offer before calling");
  if (owner_.verbose())
    owner_.log().info("[VERBOSE] Extension registry check: {} has {} registered contact(s)", target,
                      owner_.registered_contacts(target));
  ++sdp_version_;
  auto offer = sdp::create_offer(sip_local());
  sip::ua::CallLegs::OutgoingCall out;
  out.from_user = "webrtc-" + user_;
  out.from_display = user_;
  out.offer = Body{sip::ua::kSdpContentType, sdp::serialize(offer)};
  auto leg = owner_.legs().invite(owner_.main_target(target), std::move(out), *this);
  if (!leg) return Error(phone_errc::unavailable, "cannot send the INVITE: " + leg.error().what());
  leg_ = *leg;
  sip_offer_ = std::move(offer);
  call_id_ = "call-" + random_hex(8);
  peer_ = target;
  door_.clear();
  set_state(State::calling);
  owner_.log().info("session {} ({}): calling {} as {}", id_, user_, target, call_id_);
  return call_id_;
}

void BrowserPhoneSession::on_incoming(CallLeg& leg, const sip::ua::IncomingCall& call, std::string door,
                                      std::string door_name) {
  touch();
  if (has_call()) {
    leg.reject(486, "Busy Here");
    return;
  }
  if (call.offer.empty()) {
    leg.reject(488, "SDP offer required");
    return;
  }
  auto offer = sdp::parse(call.offer.data);
  if (!offer) {
    leg.reject(400, "Malformed SDP");
    return;
  }
  leg.set_listener(this);
  leg_ = &leg;
  sip_offer_ = std::move(*offer);
  call_id_ = "call-" + random_hex(8);
  door_ = std::move(door);
  peer_ = !door_.empty() ? door_name : (call.caller ? call.caller->number : call.from_display);
  set_state(State::ringing);
  leg.ring();
  owner_.log().info("session {} ({}): incoming call {} from {}", id_, user_, call_id_, peer_);
  emit("incoming");
}

Status BrowserPhoneSession::answer(const std::string& call_id) {
  touch();
  if (!leg_ || state_ != State::ringing || call_id != call_id_) return Error(phone_errc::no_call, "no such call");
  if (!media_failure_.empty()) return Error(phone_errc::bad_request, "the media connection failed: " + media_failure_);
  if (!endpoint_) return Error(phone_errc::not_ready, "send the SDP offer before answering");
  auto answer = sdp::create_answer(*sip_offer_, sip_local());
  if (!answer) {
    leg_->reject(488, "Not Acceptable Here");
    leg_ = nullptr;
    end_call("failed");
    return Error(phone_errc::no_common_codec, answer.error().what());
  }
  if (auto st = bridge(answer->media); !st) {
    leg_->reject(488, "Not Acceptable Here");
    leg_ = nullptr;
    end_call("failed");
    return st;
  }
  leg_->accept(Body{sip::ua::kSdpContentType, sdp::serialize(answer->sdp)});
  set_state(State::in_call);
  owner_.log().info("session {} ({}): answered {}", id_, user_, call_id_);
  emit("answered");
  return {};
}

Status BrowserPhoneSession::decline(const std::string& call_id) {
  touch();
  if (!leg_ || state_ != State::ringing || call_id != call_id_) return Error(phone_errc::no_call, "no such call");
  leg_->reject(603, "Decline");
  leg_ = nullptr;
  end_call("declined");
  return {};
}

Status BrowserPhoneSession::hangup() {
  touch();
  // Idempotent: the browser's own hang-up races the end it caused (its DTLS close_notify, the peer's BYE).
  if (!leg_) return {};
  leg_->set_listener(nullptr);
  leg_->hangup();
  leg_ = nullptr;
  end_call("hangup");
  return {};
}

Status BrowserPhoneSession::dtmf(std::string_view digits) {
  touch();
  if (digits.empty() || digits.size() > 32) return Error(phone_errc::bad_request, "digits: 1 to 32 of 0-9 * # A-D");
  for (char c : digits)
    if (!valid_digit(c)) return Error(phone_errc::bad_request, std::string("not a DTMF digit: ") + c);
  if (!leg_ || state_ != State::in_call) return Error(phone_errc::no_call, "no call in progress");
  const bool was_idle = digits_.empty();
  for (char c : digits) digits_.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (was_idle) send_next_digit();
  return {};
}

void BrowserPhoneSession::send_next_digit() {
  if (digits_.empty() || !leg_ || !endpoint_) {
    digits_.clear();
    return;
  }
  const char d = digits_.front();
  digits_.pop_front();
  const auto& o = owner_.options();
  bool sent = false;
  if (o.dtmf_mode != "SIP_INFO") {
    auto st = endpoint_->send_dtmf_to_sip(d, o.dtmf_duration);
    sent = st.ok();
    if (!sent) owner_.log().info("session {}: RFC 4733 digit {} not sent: {}", id_, d, st.error().what());
  }
  if (!sent && (o.dtmf_mode == "SIP_INFO" || o.sip_info_fallback)) {
    const std::string body = std::string("Signal=") + d + "\r\nDuration=" + std::to_string(o.dtmf_duration.count()) +
                             "\r\n";
    sent = leg_->send_info(Body{"application/dtmf-relay", body});
  }
  if (owner_.verbose()) owner_.log().info("[VERBOSE] DTMF {} on session {}: {}", d, id_, sent ? "sent" : "failed");
  if (digits_.empty()) return;
  digit_timer_.expires_after(o.dtmf_duration + std::chrono::milliseconds(60));
  std::weak_ptr<char> alive = alive_;
  digit_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    send_next_digit();
  });
}

void BrowserPhoneSession::close(const std::string& reason) {
  if (state_ == State::closed) return;
  if (leg_) {
    leg_->set_listener(nullptr);
    leg_->hangup();
    leg_ = nullptr;
    end_call(reason);
  }
  if (endpoint_) {
    endpoint_->close();
    endpoint_.reset();
  }
  digit_timer_.cancel();
  set_state(State::closed);
}

void BrowserPhoneSession::end_call(const std::string& reason) {
  const std::string call = call_id_;
  digits_.clear();
  digit_timer_.cancel();
  sip_offer_.reset();
  // The browser closes its peer connection when a call ends; its next call comes with a new offer.
  if (endpoint_) {
    endpoint_->close();
    endpoint_.reset();
  }
  if (state_ != State::closed) set_state(State::fresh);
  if (!call.empty()) {
    owner_.log().info("session {} ({}): call {} ended: {}", id_, user_, call, reason);
    emit("ended", reason);
  }
  call_id_.clear();
  peer_.clear();
  door_.clear();
}

void BrowserPhoneSession::emit(const std::string& state, const std::string& reason) {
  PhoneEvent e;
  e.user = user_;
  e.session_id = id_;
  e.call_id = call_id_;
  e.state = state;
  e.reason = reason;
  e.peer = peer_;
  e.door = door_;
  owner_.publish(e);
}

// --- WebRtcEndpoint::Listener -------------------------------------------------------------------------------

void BrowserPhoneSession::on_endpoint_connected(webrtc::WebRtcEndpoint&) {
  owner_.log().info("session {} ({}): media connected (ICE + DTLS)", id_, user_);
  if (state_ == State::connecting) set_state(State::connected);
}

void BrowserPhoneSession::on_endpoint_failed(webrtc::WebRtcEndpoint&, const std::string& reason) {
  owner_.log().warn("session {} ({}): WebRTC media failed: {}", id_, user_, reason);
  media_failure_ = reason;
  drop_media("failed", State::failed);
}

void BrowserPhoneSession::on_endpoint_closed(webrtc::WebRtcEndpoint&) {
  // The browser closed its peer connection (DTLS close_notify): a hang-up, not a failure.
  owner_.log().info("session {} ({}): the browser closed its peer connection", id_, user_);
  drop_media("hangup", State::fresh);
}

void BrowserPhoneSession::drop_media(const std::string& reason, State after) {
  std::weak_ptr<char> alive = alive_;
  boost::asio::post(owner_.io(), [this, alive, reason, after] {
    if (alive.expired() || state_ == State::closed) return;
    if (leg_) {
      leg_->set_listener(nullptr);
      leg_->hangup();
      leg_ = nullptr;
      end_call(reason);
    } else if (endpoint_) {
      endpoint_->close();
      endpoint_.reset();
    }
    set_state(after);
  });
}

// --- CallLeg::Listener ---------------------------------------------------------------------------------------

void BrowserPhoneSession::on_leg_provisional(CallLeg&, int status, const Body*) {
  if (status == 180 || status == 183) emit("ringing");
}

void BrowserPhoneSession::on_leg_answered(CallLeg& leg, const Body& answer) {
  auto fail = [&](const std::string& why) {
    owner_.log().warn("session {}: unusable answer from {}: {}", id_, peer_, why);
    leg.set_listener(nullptr);
    leg.hangup();
    leg_ = nullptr;
    end_call("failed");
  };
  if (!sip_offer_ || !endpoint_) return fail("no offer or endpoint");
  auto parsed = sdp::parse(answer.data);
  if (!parsed) return fail(parsed.error().what());
  auto media = sdp::accept_answer(*sip_offer_, *parsed, sip_local());
  if (!media) return fail(media.error().what());
  if (auto st = bridge(*media); !st) return fail(st.error().what());
  set_state(State::in_call);
  owner_.log().info("session {} ({}): {} answered {}", id_, user_, peer_, call_id_);
  emit("answered");
}

void BrowserPhoneSession::on_leg_failed(CallLeg&, int status, std::string_view reason) {
  owner_.log().info("session {}: call to {} failed: {} {}", id_, peer_, status, reason);
  leg_ = nullptr;
  end_call(failure_reason(status));
}

void BrowserPhoneSession::on_leg_ended(CallLeg&, sip::ua::EndReason why) {
  leg_ = nullptr;
  end_call(end_reason(why));
}

std::optional<Body> BrowserPhoneSession::on_leg_offer(CallLeg&, const Body& offer) {
  // A re-INVITE from the B2BUA (conference: the relay moves to a room port): answer from our SIP-side port.
  if (!endpoint_) return std::nullopt;
  auto parsed = sdp::parse(offer.data);
  if (!parsed) return std::nullopt;
  ++sdp_version_;
  auto answer = sdp::create_answer(*parsed, sip_local());
  if (!answer) return std::nullopt;
  if (!bridge(answer->media)) return std::nullopt;
  return Body{sip::ua::kSdpContentType, sdp::serialize(answer->sdp)};
}

PhoneSessionInfo BrowserPhoneSession::info() const {
  PhoneSessionInfo i;
  i.session_id = id_;
  i.extension = extension_;
  i.peer_connection_id = peer_connection_id_;
  i.state = to_string(state_);
  i.created_at = created_at_;
  i.last_activity = last_activity_;
  i.user = user_;
  i.call_id = call_id_;
  return i;
}

std::string BrowserPhoneSession::dump() const {
  std::string s = "BrowserPhoneSession " + id_ + " user=" + user_ + " state=" + to_string(state_);
  if (!call_id_.empty()) s += " call=" + call_id_ + " peer=" + peer_;
  if (endpoint_) s += " [" + endpoint_->dump() + "]";
  return s;
}

}  // namespace portier::intercom
