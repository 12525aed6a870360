#include "sip/txn/transaction_layer.hpp"

#include "base/log.hpp"
#include "base/random.hpp"
#include "sip/msg/digest_params.hpp"
#include "sip/msg/parser.hpp"

namespace portier::sip::txn {
namespace {

constexpr char kServerPrefix = 's';
constexpr char kClientPrefix = 'c';

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
    if (auto it = servers_.find(key); it != servers_.end()) {
      it->second->on_ack(clock_.steady_now());
      schedule(*it->second);
    }
    return;  // ACKs for 2xx belong to dialogs, which this layer does not have
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
  }
  auto txn = std::make_unique<ServerTransaction>(key, std::move(in), next_tag(), sender_, timers_, clock_);
  auto& ref = *txn;
  ref.merge_key = merge_key;
  servers_.emplace(key, std::move(txn));
  if (!merge_key.empty()) merged_[merge_key] = key;
  listener_.on_transaction_request(ref);
  // The TU may have answered already; a reliable non-INVITE transaction is then done.
  auto it = servers_.find(key);
  if (it == servers_.end()) return;
  // Merging only concerns requests still in progress; answered ones need no entry (and REGISTERs never carry a
  // To tag, so keeping them would cost an entry per registration for 32 s).
  if (it->second->state() != ServerTransaction::State::trying &&
      it->second->state() != ServerTransaction::State::proceeding && !it->second->merge_key.empty()) {
    if (auto m = merged_.find(it->second->merge_key); m != merged_.end() && m->second == key) merged_.erase(m);
    it->second->merge_key.clear();
  }
  if (it->second->state() == ServerTransaction::State::terminated) {
    erase_server(key);
  } else {
    schedule(*it->second);
  }
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
  }
}

void TransactionLayer::on_response(IncomingMessage&& in) {
  auto via = in.message.top_via();
  auto cseq = in.message.cseq();
  if (!via || !cseq) {
    ++stats_.stray_responses;
    return;
  }
  auto it = clients_.find(client_key(via->branch(), cseq->method));
  if (it == clients_.end()) {
    ++stats_.stray_responses;
    return;
  }
  it->second->on_response(in);
  if (it->second->state() == ClientTransaction::State::terminated) {
    clients_.erase(it);
  } else if (auto d = it->second->deadline()) {
    timer_queue_.schedule(*d, kClientPrefix + it->first);
  }
}

bool TransactionLayer::send_request(const Peer& to, msg::MessageBuilder request, std::string_view method,
                                    std::string_view sent_by, ClientTransaction::Handler handler) {
  const auto branch = std::string(msg::kMagicCookie) + tag_prefix_ + "." + std::to_string(++counter_);
  std::string via = "SIP/2.0/";
  via.append(protocol_name(to.protocol)).append(" ").append(sent_by).append(";branch=").append(branch);
  if (to.protocol == Protocol::udp) via.append(";rport");
  request.prepend("Via", via);
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
      auto it = servers_.find(key);
      if (it == servers_.end()) continue;
      auto& txn = *it->second;
      if (txn.scheduled == when) txn.scheduled.reset();
      auto d = txn.deadline();
      if (!d) {
        erase_server(key);
        continue;
      }
      if (*d > now) {
        schedule(txn);  // the deadline moved (e.g. the TU answered later): make sure it has an entry
        continue;
      }
      txn.on_timer(now);
      if (txn.state() == ServerTransaction::State::terminated) {
        erase_server(key);
      } else {
        schedule(txn);
      }
    } else {
      auto it = clients_.find(key);
      if (it == clients_.end()) continue;
      auto& txn = *it->second;
      auto d = txn.deadline();
      if (d && *d > now) continue;
      txn.on_timer(now);
      if (txn.state() == ClientTransaction::State::terminated) {
        clients_.erase(key);
      } else if (auto next = txn.deadline()) {
        timer_queue_.schedule(*next, kClientPrefix + key);
      }
    }
  }
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
