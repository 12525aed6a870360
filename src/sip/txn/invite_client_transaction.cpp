#include "sip/txn/invite_client_transaction.hpp"

#include "base/log.hpp"
#include "sip/msg/message_builder.hpp"
#include "sip/msg/parser.hpp"

namespace portier::sip::txn {
namespace {

// A request to the same target as `invite` (Request-URI, Call-ID, From, CSeq number, top Via, Route).
msg::MessageBuilder derived_request(const msg::Message& invite, std::string_view method, std::string_view to) {
  auto b = msg::MessageBuilder::request(method, invite.request_uri());
  // The top Via exactly as we sent it (our own serialization, so it is the first header line's only value).
  std::string via;
  if (auto v = invite.top_via()) {
    via.append(v->protocol).append("/").append(v->transport).append(" ").append(v->host);
    if (v->port) via.append(":").append(std::to_string(v->port));
    via.append(v->params);
  }
  b.add("Via", via);
  b.add("Max-Forwards", "70");
  b.add("From", invite.header(msg::HeaderId::from));
  b.add("To", to);
  b.add("Call-ID", invite.call_id());
  auto cseq = invite.cseq();
  b.add("CSeq", std::to_string(cseq ? cseq->number : 1) + " " + std::string(method));
  for (auto route : invite.lines(msg::HeaderId::route)) b.add("Route", route);
  return b;
}

}  // namespace

std::string_view state_name(InviteClientTransaction::State s) {
  switch (s) {
    case InviteClientTransaction::State::calling: return "calling";
    case InviteClientTransaction::State::proceeding: return "proceeding";
    case InviteClientTransaction::State::completed: return "completed";
    case InviteClientTransaction::State::accepted: return "accepted";
    case InviteClientTransaction::State::terminated: return "terminated";
  }
  return "?";
}

InviteClientTransaction::InviteClientTransaction(std::string key, Peer to, std::string request, Handler handler,
                                                 Sender& sender, const TimerValues& timers, const Clock& clock)
    : key_(std::move(key)),
      to_(std::move(to)),
      request_(std::make_unique<std::string>(std::move(request))),
      handler_(std::move(handler)),
      sender_(sender),
      timers_(timers),
      clock_(clock) {
  // Our own serialization: it parses (the builder writes nothing the parser refuses).
  if (auto m = msg::parse_message(*request_)) parsed_ = std::move(m).value();
}

void InviteClientTransaction::start() {
  const auto now = clock_.steady_now();
  end_at_ = now + 64 * timers_.t1;  // Timer B
  if (!to_.reliable()) {
    interval_ = timers_.t1;
    retransmit_at_ = now + interval_;  // Timer A
  }
  if (!sender_.send(to_, *request_)) fail();
}

void InviteClientTransaction::pass_up(const IncomingMessage* response) {
  if (handler_) handler_(response);
}

void InviteClientTransaction::fail() {
  state_ = State::terminated;
  retransmit_at_.reset();
  end_at_.reset();
  if (!handler_) return;
  auto handler = std::move(handler_);
  handler_ = nullptr;
  handler(nullptr);
}

std::string InviteClientTransaction::make_ack(const msg::Message& response) const {
  return derived_request(parsed_, "ACK", response.header(msg::HeaderId::to)).serialize();
}

std::string InviteClientTransaction::make_cancel() const {
  if (state_ != State::calling && state_ != State::proceeding) return {};
  return derived_request(parsed_, "CANCEL", parsed_.header(msg::HeaderId::to)).serialize();
}

void InviteClientTransaction::on_cancel_sent(Time now) {
  if (state_ == State::calling || state_ == State::proceeding) end_at_ = now + 64 * timers_.t1;
}

void InviteClientTransaction::on_response(const IncomingMessage& response) {
  const int status = response.message.status();
  const auto now = clock_.steady_now();
  switch (state_) {
    case State::calling:
    case State::proceeding:
      retransmit_at_.reset();
      if (status < 200) {
        // Timer B only runs while Calling; a CANCEL's bound (set later, or already while Proceeding) stays.
        if (state_ == State::calling) end_at_.reset();
        state_ = State::proceeding;
        pass_up(&response);
        return;
      }
      if (status < 300) {
        state_ = State::accepted;
        end_at_ = now + 64 * timers_.t1;  // Timer M
        pass_up(&response);
        return;
      }
      state_ = State::completed;
      ack_ = make_ack(response.message);
      sender_.send(to_, ack_);
      end_at_ = now + (to_.reliable() ? std::chrono::milliseconds(0) : std::chrono::milliseconds(32000));  // Timer D
      pass_up(&response);
      handler_ = nullptr;
      return;
    case State::completed:
      if (status >= 300) sender_.send(to_, ack_);  // the ACK got lost
      return;
    case State::accepted:
      if (status >= 200 && status < 300) pass_up(&response);  // the TU ACKs every 2xx copy
      return;
    case State::terminated:
      return;
  }
}

void InviteClientTransaction::on_timer(Time now) {
  if (state_ == State::terminated) return;
  if (end_at_ && now >= *end_at_) {
    if (state_ == State::calling || state_ == State::proceeding) {
      log::get("sip")->debug("txn {}: no final response ({})", key_, state_ == State::calling ? "Timer B" : "CANCEL");
      fail();
      return;
    }
    state_ = State::terminated;  // Timer D or M
    retransmit_at_.reset();
    end_at_.reset();
    handler_ = nullptr;
    return;
  }
  if (retransmit_at_ && now >= *retransmit_at_ && state_ == State::calling) {
    sender_.send(to_, *request_);
    interval_ *= 2;  // Timer A doubles without the T2 cap
    retransmit_at_ = now + interval_;
  }
}

std::optional<InviteClientTransaction::Time> InviteClientTransaction::deadline() const {
  if (state_ == State::terminated) return std::nullopt;
  if (retransmit_at_ && end_at_) return std::min(*retransmit_at_, *end_at_);
  return retransmit_at_ ? retransmit_at_ : end_at_;
}

std::string InviteClientTransaction::dump() const {
  return "InviteClientTransaction{" + key_ + " " + std::string(state_name(state_)) + " to " + to_.to_string() + "}";
}

}  // namespace portier::sip::txn
