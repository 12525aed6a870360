#include "sip/txn/transaction_layer.hpp"

#include "base/log.hpp"
#include "base/random.hpp"
#include "sip/msg/digest_params.hpp"
#include "sip/msg/parser.hpp"

namespace portier::sip::txn {
namespace {

constexpr char kServerPrefix = 's';
constexpr char kClientPrefix = 'c';
constexpr char kInvitePrefix = 'i';

std::string_view match_method(std::string_view method) { return method == "ACK" ? "INVITE" : method; }

std::string client_key(std::string_view branch, std::string_view method) {
  std::string key(branch);
  key.push_back('|');
  key.append(method);
  return key;
}

}  // namespace

std::string server_key(const msg::Message& request) {
  auto via = request.top_via();
  if (!via) return {};
  auto cseq = request.cseq();
  const auto method = match_method(request.method());
  std::string key;
  if (via->rfc3261_branch()) {
    key.append(via->branch()).append("|").append(via->host).append(":").append(std::to_string(via->port));
  } else {
    // RFC 2543 peers: match on Request-URI, From tag, Call-ID, CSeq number and top Via (§17.2.3).
    auto from = request.from();
    key.append("2543|").append(method == "INVITE" && request.method() == "ACK" ? "" : request.request_uri());
    key.append("|").append(from ? from->tag() : "").append("|").append(request.call_id());
    key.append("|").append(cseq ? std::to_string(cseq->number) : "").append("|").append(via->host);
    key.append(":").append(std::to_string(via->port)).append("|").append(via->branch());
  }
  key.append("|").append(method);
  return key;
}

TransactionLayer::TransactionLayer(Sender& sender, const Clock& clock, Listener& listener, TimerValues timers)
    : sender_(sender), clock_(clock), listener_(listener), timers_(timers), tag_prefix_(random_hex(4)) {}

std::string TransactionLayer::next_tag() { return tag_prefix_ + std::to_string(++counter_); }

void TransactionLayer::on_message(IncomingMessage&& in) {
  if (in.message.is_request()) {
    on_request(std::move(in));
  } else {
    on_response(std::move(in));
  }
}

void TransactionLayer::respond_stateless(const IncomingMessage& in, int status, std::string_view reason,
                                         std::string_view warning) {
  auto b = msg::make_response(in.message, status, reason, next_tag(), in.top_via);
  if (!warning.empty()) b.add("Warning", "399 portier " + msg::quote(warning));
  sender_.send(in.source, b.serialize());
}

void TransactionLayer::on_request(IncomingMessage&& in) {
  ++stats_.requests;
  if (auto st = msg::validate_request(in.message); !st) {
    ++stats_.invalid;
    log::get("sip")->info("invalid request from {}: {}", in.source.to_string(), st.error().what());
    // Without a usable Via there is nowhere to send an answer.
    if (in.message.top_via() && in.message.method() != "ACK") respond_stateless(in, 400, {}, st.error().what());
    return;
  }
  auto key = server_key(in.message);
  const auto method = in.message.method();
  if (method == "ACK") {
    auto it = servers_.find(key);
    if (it != servers_.end() && it->second->state() != ServerTransaction::State::accepted) {
      it->second->on_ack(clock_.steady_now());  // copies in Confirmed are absorbed (Timer I)
      settle(key);
      return;
    }
    listener_.on_transaction_ack(in);  // the ACK for a 2xx (new branch, or a reused one in Accepted)
    return;
  }
  if (auto it = servers_.find(key); it != servers_.end()) {
    ++stats_.retransmissions;
    it->second->on_retransmission();
    return;
  }
  if (method == "CANCEL") {
    auto invite_key = key.substr(0, key.rfind('|') + 1) + "INVITE";
    on_cancel(std::move(in), invite_key);
    return;
  }
  std::string merge_key;
  auto to = in.message.to();
  if (to && to->tag().empty()) {
    auto from = in.message.from();
    merge_key = std::string(from->tag()) + "|" + std::string(in.message.call_id()) + "|" +
                std::string(in.message.header(msg::HeaderId::cseq));
    if (auto m = merged_.find(merge_key); m != merged_.end() && m->second != key && servers_.count(m->second)) {
      ++stats_.merged;
      respond_stateless(in, 482, "Loop Detected");
      return;
    }
    if (method == "INVITE" && looped(in.message)) {
      ++stats_.loops;
      respond_stateless(in, 482, "Loop Detected");
      return;
    }
  }
  auto txn = std::make_unique<ServerTransaction>(key, std::move(in), next_tag(), sender_, timers_, clock_);
  auto& ref = *txn;
  ref.merge_key = merge_key;
  servers_.emplace(key, std::move(txn));
  if (!merge_key.empty()) merged_[merge_key] = key;
  listener_.on_transaction_request(ref);
  // The TU may have answered already (and a reliable non-INVITE transaction is then done).
  auto it = servers_.find(key);
  if (it == servers_.end()) return;
  // §17.2.1: a TU that does not answer at once gets a 100 Trying sent for it, which stops INVITE retransmissions.
  if (it->second->is_invite() && !it->second->answered()) it->second->respond(100, std::string_view{});
  settle(key);
}

bool TransactionLayer::looped(const msg::Message& request) const {
  // Our own branches carry our tag prefix: seeing one in an incoming INVITE means it went round back to us.
  const auto ours = std::string(msg::kMagicCookie) + tag_prefix_ + ".";
  auto vias = request.vias();
  if (!vias) return false;
  for (const auto& v : *vias) {
    if (v.branch().starts_with(ours)) return true;
  }
  return false;
}

void TransactionLayer::on_cancel(IncomingMessage&& in, const std::string& invite_key) {
  auto it = servers_.find(invite_key);
  if (it == servers_.end()) {
    respond_stateless(in, 481, {});
    return;
  }
  respond_stateless(in, 200, {});
  auto& invite = *it->second;
  if (invite.state() == ServerTransaction::State::proceeding) {
    invite.respond(487, std::string_view{});
    schedule(invite);
    listener_.on_transaction_cancelled(invite);
    settle(invite_key);
  }
}

void TransactionLayer::on_response(IncomingMessage&& in) {
  auto via = in.message.top_via();
  auto cseq = in.message.cseq();
  if (!via || !cseq) {
    ++stats_.stray_responses;
    return;
  }
  const auto key = client_key(via->branch(), cseq->method);
  if (cseq->method == "INVITE") {
    auto it = invites_.find(key);
    if (it == invites_.end()) {
      ++stats_.stray_responses;
      return;
    }
    // The handler may start or cancel transactions (rehashing the maps): look the transaction up again after.
    it->second->on_response(in);
    it = invites_.find(key);
    if (it == invites_.end()) return;
    if (it->second->cancel_pending && it->second->state() == InviteClientTransaction::State::proceeding)
      send_cancel(*it->second);
    if (it->second->state() == InviteClientTransaction::State::terminated) {
      invites_.erase(it);
    } else {
      schedule_invite(*it->second);
    }
    return;
  }
  auto it = clients_.find(key);
  if (it == clients_.end()) {
    ++stats_.stray_responses;
    return;
  }
  it->second->on_response(in);
  it = clients_.find(key);
  if (it == clients_.end()) return;
  if (it->second->state() == ClientTransaction::State::terminated) {
    clients_.erase(it);
  } else if (auto d = it->second->deadline()) {
    timer_queue_.schedule(*d, kClientPrefix + it->first);
  }
}

std::string TransactionLayer::new_branch() {
  return std::string(msg::kMagicCookie) + tag_prefix_ + "." + std::to_string(++counter_);
}

namespace {

std::string make_via(const Peer& to, std::string_view sent_by, std::string_view branch, bool rport) {
  std::string via = "SIP/2.0/";
  via.append(protocol_name(to.protocol)).append(" ").append(sent_by).append(";branch=").append(branch);
  if (rport && to.protocol == Protocol::udp) via.append(";rport");
  return via;
}

}  // namespace

bool TransactionLayer::send_request(const Peer& to, msg::MessageBuilder request, std::string_view method,
                                    std::string_view sent_by, ClientTransaction::Handler handler) {
  const auto branch = new_branch();
  request.prepend("Via", make_via(to, sent_by, branch, rport_));
  auto key = client_key(branch, method);
  auto txn = std::make_unique<ClientTransaction>(key, to, request.serialize(), std::move(handler), sender_, timers_,
                                                 clock_);
  auto& ref = *txn;
  clients_.emplace(key, std::move(txn));
  ref.start();
  if (auto d = ref.deadline(); d && ref.state() != ClientTransaction::State::terminated) {
    timer_queue_.schedule(*d, kClientPrefix + key);
  }
  return true;
}

std::string TransactionLayer::send_invite(const Peer& to, msg::MessageBuilder invite, std::string_view sent_by,
                                          InviteClientTransaction::Handler handler) {
  const auto branch = new_branch();
  invite.prepend("Via", make_via(to, sent_by, branch, rport_));
  auto key = client_key(branch, "INVITE");
  auto txn = std::make_unique<InviteClientTransaction>(key, to, invite.serialize(), std::move(handler), sender_,
                                                       timers_, clock_);
  auto& ref = *txn;
  invites_.emplace(key, std::move(txn));
  ref.start();
  auto it = invites_.find(key);
  if (it == invites_.end()) return key;
  if (it->second->state() == InviteClientTransaction::State::terminated) {
    invites_.erase(it);
  } else {
    schedule_invite(*it->second);
  }
  return key;
}

bool TransactionLayer::cancel(const std::string& invite_key) {
  auto it = invites_.find(invite_key);
  if (it == invites_.end()) return false;
  auto& invite = *it->second;
  if (invite.state() == InviteClientTransaction::State::calling) {
    invite.cancel_pending = true;
    return true;
  }
  if (invite.state() != InviteClientTransaction::State::proceeding) return false;
  send_cancel(invite);
  return true;
}

void TransactionLayer::send_cancel(InviteClientTransaction& invite) {
  invite.cancel_pending = false;
  auto text = invite.make_cancel();
  if (text.empty()) return;
  // Same branch as the INVITE, so the CANCEL's own transaction key differs only by method.
  const auto branch = invite.key().substr(0, invite.key().rfind('|'));
  auto key = client_key(branch, "CANCEL");
  if (clients_.count(key)) return;
  auto txn = std::make_unique<ClientTransaction>(key, invite.peer(), std::move(text), nullptr, sender_, timers_,
                                                 clock_);
  auto& ref = *txn;
  clients_.emplace(key, std::move(txn));
  ref.start();
  invite.on_cancel_sent(clock_.steady_now());
  schedule_invite(invite);
  if (auto d = ref.deadline(); d && ref.state() != ClientTransaction::State::terminated) {
    timer_queue_.schedule(*d, kClientPrefix + key);
  }
}

std::string TransactionLayer::send_ack(const Peer& to, msg::MessageBuilder ack, std::string_view sent_by) {
  ack.prepend("Via", make_via(to, sent_by, new_branch(), rport_));
  auto text = ack.serialize();
  sender_.send(to, text);
  return text;
}

bool TransactionLayer::respond(const std::string& key, int status, std::string text) {
  auto it = servers_.find(key);
  if (it == servers_.end()) return false;
  it->second->respond(status, std::move(text));
  settle(key);
  return true;
}

ServerTransaction* TransactionLayer::find_server(const std::string& key) {
  auto it = servers_.find(key);
  return it == servers_.end() ? nullptr : it->second.get();
}

void TransactionLayer::settle(const std::string& key) {
  auto it = servers_.find(key);
  if (it == servers_.end()) return;
  auto& txn = *it->second;
  // Merging only concerns requests still in progress; answered ones need no entry (and REGISTERs never carry a
  // To tag, so keeping them would cost an entry per registration for 32 s).
  if (txn.state() != ServerTransaction::State::trying && txn.state() != ServerTransaction::State::proceeding &&
      !txn.merge_key.empty()) {
    if (auto m = merged_.find(txn.merge_key); m != merged_.end() && m->second == key) merged_.erase(m);
    txn.merge_key.clear();
  }
  if (txn.state() == ServerTransaction::State::terminated) {
    erase_server(key);
  } else {
    schedule(txn);
  }
}

void TransactionLayer::schedule_invite(InviteClientTransaction& txn) {
  if (auto d = txn.deadline()) timer_queue_.schedule(*d, kInvitePrefix + txn.key());
}

void TransactionLayer::schedule(ServerTransaction& txn) {
  auto d = txn.deadline();
  if (!d || txn.scheduled == d) return;
  timer_queue_.schedule(*d, kServerPrefix + txn.key());
  txn.scheduled = d;
}

void TransactionLayer::erase_server(const std::string& key) {
  auto it = servers_.find(key);
  if (it == servers_.end()) return;
  if (!it->second->merge_key.empty()) {
    if (auto m = merged_.find(it->second->merge_key); m != merged_.end() && m->second == key) merged_.erase(m);
  }
  servers_.erase(it);
}

void TransactionLayer::process_timers() {
  const auto now = clock_.steady_now();
  std::string entry;
  Clock::SteadyTime when;
  while (timer_queue_.pop_due(now, entry, when)) {
    const auto key = entry.substr(1);
    if (entry[0] == kServerPrefix) {
      fire_server(key, when, now);
    } else if (entry[0] == kInvitePrefix) {
      auto it = invites_.find(key);
      if (it == invites_.end()) continue;
      auto d = it->second->deadline();
      if (d && *d > now) continue;  // stale entry: the newer one is queued
      it->second->on_timer(now);
      it = invites_.find(key);  // a failure handler may have started other transactions
      if (it == invites_.end()) continue;
      if (it->second->state() == InviteClientTransaction::State::terminated) {
        invites_.erase(it);
      } else {
        schedule_invite(*it->second);
      }
    } else {
      auto it = clients_.find(key);
      if (it == clients_.end()) continue;
      auto d = it->second->deadline();
      if (d && *d > now) continue;
      it->second->on_timer(now);
      it = clients_.find(key);
      if (it == clients_.end()) continue;
      if (it->second->state() == ClientTransaction::State::terminated) {
        clients_.erase(it);
      } else if (auto next = it->second->deadline()) {
        timer_queue_.schedule(*next, kClientPrefix + key);
      }
    }
  }
}

void TransactionLayer::fire_server(const std::string& key, Clock::SteadyTime when, Clock::SteadyTime now) {
  auto it = servers_.find(key);
  if (it == servers_.end()) return;
  auto& txn = *it->second;
  if (txn.scheduled == when) txn.scheduled.reset();
  auto d = txn.deadline();
  if (!d) {
    erase_server(key);
    return;
  }
  if (*d > now) {
    schedule(txn);  // the deadline moved (e.g. the TU answered later): make sure it has an entry
    return;
  }
  if (txn.on_timer(now)) listener_.on_transaction_timeout(txn);
  settle(key);
}

std::optional<Clock::SteadyTime> TransactionLayer::next_deadline() const {
  if (timer_queue_.empty()) return std::nullopt;
  return timer_queue_.next();
}

std::string TransactionLayer::dump() const {
  return "TransactionLayer{servers=" + std::to_string(servers_.size()) + " clients=" +
         std::to_string(clients_.size()) + " timers=" + std::to_string(timer_queue_.size()) +
         " requests=" + std::to_string(stats_.requests) + " retransmissions=" +
         std::to_string(stats_.retransmissions) + " invalid=" + std::to_string(stats_.invalid) + "}";
}

}  // namespace portier::sip::txn
