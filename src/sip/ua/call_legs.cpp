#include "sip/ua/call_legs.hpp"

#include "base/error.hpp"
#include "base/log.hpp"
#include "base/random.hpp"
#include "sip/msg/digest_params.hpp"
#include "sip/msg/uri.hpp"
#include "base/strings.hpp"

namespace portier::sip::ua {
namespace {

constexpr std::string_view kAllow = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK";

// The peer's tags as seen from our side: To tag is ours, From tag is theirs.
std::string key_of_request(const msg::Message& m) {
  auto to = m.to();
  auto from = m.from();
  if (!to || !from) return {};
  return dialog_key(m.call_id(), to->tag(), from->tag());
}

}  // namespace

CallLegs::CallLegs(txn::TransactionLayer& layer, const Clock& clock, Options options)
    : layer_(layer), clock_(clock), options_(std::move(options)) {}

CallLegs::~CallLegs() = default;

std::string CallLegs::allow() const { return std::string(kAllow); }

std::string CallLegs::sent_by(const txn::Peer& peer) const {
  if (peer.local >= options_.locals.size()) return options_.domain;
  const auto& spec = options_.locals[peer.local];
  std::string host = spec.host;
  if (host == "0.0.0.0" || host == "::") host = options_.domain;
  else if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return host + ":" + std::to_string(spec.port);
}

std::string CallLegs::contact(const txn::Peer& peer, std::string_view user) const {
  std::string c = "<sip:";
  c.append(user.empty() ? "portier" : user).append("@").append(sent_by(peer));
  if (peer.protocol == txn::Protocol::tcp) c.append(";transport=tcp");
  if (peer.protocol == txn::Protocol::tls) c.append(";transport=tls");
  c.append(">");
  return c;
}

Result<txn::Peer> CallLegs::resolve(const Target& target) const {
  if (target.peer) return *target.peer;
  auto uri = msg::parse_uri(target.uri);
  if (!uri || !uri->is_sip()) return Error(errc::invalid_argument, "not a SIP URI: " + target.uri);
  txn::Peer p;
  p.protocol = uri->is_sips() ? txn::Protocol::tls : txn::Protocol::udp;
  if (auto t = uri->param("transport")) {
    if (iequals(*t, "tcp")) p.protocol = txn::Protocol::tcp;
    else if (iequals(*t, "tls")) p.protocol = txn::Protocol::tls;
  }
  std::string host(uri->host);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  p.address = host;
  p.port = uri->port ? uri->port : (p.protocol == txn::Protocol::tls ? 5061 : 5060);
  bool numeric = !host.empty();
  for (char c : host) numeric = numeric && (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':');
  if (!numeric) return Error(errc::invalid_argument, "target host must be a numeric address: " + target.uri);
  for (std::size_t i = 0; i < options_.locals.size(); ++i) {
    const bool v6 = options_.locals[i].host.find(':') != std::string::npos;
    if (options_.locals[i].protocol == p.protocol && v6 == (host.find(':') != std::string::npos)) {
      p.local = i;
      return p;
    }
  }
  return Error(errc::invalid_argument, "no listener for the transport of " + target.uri);
}

Result<CallLeg*> CallLegs::invite(const Target& target, OutgoingCall call, CallLeg::Listener& listener) {
  auto peer = resolve(target);
  if (!peer) return peer.error();
  const auto id = ++next_id_;
  auto leg = std::make_unique<CallLeg>(*this, id, CallLeg::Direction::outgoing);
  auto& ref = *leg;
  legs_.emplace(id, std::move(leg));

  Dialog::UacRequest sent;
  sent.call_id = random_hex(12) + "@" + options_.domain;
  sent.local_tag = random_hex(6);
  std::string from_uri = "sip:" + call.from_user + "@" + options_.domain;
  sent.from = (call.from_display.empty() ? "" : msg::quote(call.from_display) + " ") + "<" + from_uri +
              ">;tag=" + sent.local_tag;
  sent.request_uri = target.uri;
  sent.cseq = 1;
  sent.local_contact = contact(*peer, call.from_user);
  sent.peer = *peer;

  auto b = msg::MessageBuilder::request("INVITE", target.uri);
  b.add("Max-Forwards", std::to_string(call.max_forwards));
  b.add("From", sent.from);
  b.add("To", "<" + (call.to.empty() ? target.uri : call.to) + ">");
  b.add("Call-ID", sent.call_id);
  b.add("CSeq", "1 INVITE");
  b.add("Contact", sent.local_contact);
  b.add("Allow", kAllow);
  b.add("Supported", "timer");
  if (call.session_expires) {
    b.add("Session-Expires", std::to_string(std::max(call.session_expires, options_.min_session_expires)));
    b.add("Min-SE", std::to_string(options_.min_session_expires));
  }
  b.add("User-Agent", options_.user_agent);
  for (const auto& [name, value] : call.headers) b.add(name, value);
  if (!call.offer.empty()) b.body(call.offer.type, call.offer.data);
  ref.start_outgoing({}, sent, call.offer, call.session_expires);
  send_invite(ref, *peer, std::move(b), false, 1);
  // A send failure ends the leg before we return: report it here rather than through a callback the caller
  // cannot expect yet.
  if (ref.state() == CallLeg::State::terminated) return Error(errc::unavailable, "could not send to " + target.uri);
  ref.set_listener(&listener);
  return &ref;
}

void CallLegs::send_invite(CallLeg& leg, txn::Peer to, msg::MessageBuilder invite, bool reinvite,
                           std::uint32_t cseq) {
  const auto id = leg.id();
  auto handler = [this, id, reinvite, cseq](const txn::IncomingMessage* response) {
    auto* l = find(id);
    if (!l) return;
    if (reinvite) l->on_reinvite_response(cseq, response);
    else l->on_invite_response(response);
  };
  leg.invite_key_ = layer_.send_invite(to, std::move(invite), sent_by(to), std::move(handler));
}

void CallLegs::on_invite(txn::ServerTransaction& txn, std::optional<Extension> caller) {
  const auto& m = txn.message();
  auto dialog = Dialog::create_uas(m, txn.to_tag(), contact(txn.request().source, {}), txn.request().source);
  if (!dialog) {
    auto r = txn.make_response(400, "Missing Contact");
    layer_.respond(txn.key(), 400, r.serialize());
    return;
  }
  // Our Contact user: the number that was dialled, so that in-dialog requests name it too.
  if (auto ruri = msg::parse_uri(m.request_uri()); ruri && !ruri->user.empty()) {
    dialog = Dialog::create_uas(m, txn.to_tag(), contact(txn.request().source, ruri->user), txn.request().source);
  }
  const auto id = ++next_id_;
  auto leg = std::make_unique<CallLeg>(*this, id, CallLeg::Direction::incoming);
  auto& ref = *leg;
  legs_.emplace(id, std::move(leg));
  invite_txns_[txn.key()] = id;
  ref.start_incoming(txn, caller, std::move(dialog).value());
  if (ref.state() == CallLeg::State::terminated) return;  // refused while starting (422)
  index_dialog(ref);
  if (!handler_) {
    ref.reject(480, "No Handler");
    return;
  }
  IncomingCall call;
  call.caller = std::move(caller);
  if (auto from = m.from()) {
    call.from_uri = std::string(from->uri_text);
    call.from_display = std::string(from->display);
  }
  if (auto to = m.to()) call.to_uri = std::string(to->uri_text);
  call.request_uri = std::string(m.request_uri());
  call.offer = ref.remote_offer();
  call.source = txn.request().source;
  if (auto mf = m.max_forwards(); mf && *mf) call.max_forwards = **mf;
  handler_->on_incoming_call(ref, call);
}

void CallLegs::on_in_dialog_request(txn::ServerTransaction& txn) {
  auto it = dialogs_.find(key_of_request(txn.message()));
  CallLeg* leg = it == dialogs_.end() ? nullptr : find(it->second);
  if (!leg || leg->state() == CallLeg::State::terminated) {
    log::get("sip")->debug("no dialog for {} ({})", txn.message().dump(), leg ? leg->dump() : "unknown");
    auto r = txn.make_response(481);
    r.add("Server", options_.user_agent);
    layer_.respond(txn.key(), 481, r.serialize());
    return;
  }
  leg->on_request(txn);
}

void CallLegs::on_ack(const txn::IncomingMessage& ack) {
  auto it = dialogs_.find(key_of_request(ack.message));
  if (it == dialogs_.end()) return;  // a late or stray ACK needs no answer
  if (auto* leg = find(it->second)) leg->on_ack(ack);
}

void CallLegs::on_cancelled(txn::ServerTransaction& invite) {
  auto it = invite_txns_.find(invite.key());
  if (it == invite_txns_.end()) return;
  const auto id = it->second;
  invite_txns_.erase(it);
  if (auto* leg = find(id)) leg->on_cancelled();
}

void CallLegs::index_dialog(CallLeg& leg) {
  if (!leg.dialog_) return;
  auto key = leg.dialog_->key();
  if (key == leg.registered_key_) return;
  drop_dialog(leg);
  dialogs_[key] = leg.id();
  leg.registered_key_ = std::move(key);
}

void CallLegs::drop_dialog(CallLeg& leg) {
  if (leg.registered_key_.empty()) return;
  if (auto it = dialogs_.find(leg.registered_key_); it != dialogs_.end() && it->second == leg.id())
    dialogs_.erase(it);
  leg.registered_key_.clear();
}

void CallLegs::process_timers() {
  const auto now = clock_.steady_now();
  // Few legs at a time on a door intercom: a scan per tick is cheaper than a heap with lazy deletion.
  std::vector<CallLeg::Id> due;
  std::vector<CallLeg::Id> done;
  for (auto& [id, leg] : legs_) {
    if (auto d = leg->deadline(); d && *d <= now) due.push_back(id);
    else if (leg->finished(now)) done.push_back(id);
  }
  for (auto id : due) {
    if (auto* leg = find(id)) leg->on_timer(now);
  }
  for (auto id : done) {
    auto it = legs_.find(id);
    if (it == legs_.end()) continue;
    drop_dialog(*it->second);
    std::erase_if(invite_txns_, [id](const auto& e) { return e.second == id; });
    legs_.erase(it);
  }
}

CallLeg* CallLegs::find(CallLeg::Id id) {
  auto it = legs_.find(id);
  return it == legs_.end() ? nullptr : it->second.get();
}

std::string CallLegs::dump() const {
  return "CallLegs{legs=" + std::to_string(legs_.size()) + " dialogs=" + std::to_string(dialogs_.size()) + "}";
}

}  // namespace portier::sip::ua
