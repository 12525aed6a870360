#include "sip/txn/client_transaction.hpp"

#include <algorithm>

namespace portier::sip::txn {

ClientTransaction::ClientTransaction(std::string key, Peer to, std::string request, Handler handler,
                                     Sender& sender, const TimerValues& timers, const Clock& clock)
    : key_(std::move(key)),
      to_(std::move(to)),
      request_(std::move(request)),
      handler_(std::move(handler)),
      sender_(sender),
      timers_(timers),
      clock_(clock) {}

void ClientTransaction::start() {
  const auto now = clock_.steady_now();
  end_at_ = now + 64 * timers_.t1;  // Timer F
  if (!to_.reliable()) {
    interval_ = timers_.t1;
    retransmit_at_ = now + interval_;
  }
  if (!sender_.send(to_, request_)) finish(nullptr);
}

void ClientTransaction::finish(const IncomingMessage* response) {
  retransmit_at_.reset();
  if (handler_) {
    auto handler = std::move(handler_);
    handler_ = nullptr;
    handler(response);
  }
}

void ClientTransaction::on_response(const IncomingMessage& response) {
  if (state_ == State::completed || state_ == State::terminated) return;
  const int status = response.message.status();
  if (status < 200) {
    state_ = State::proceeding;
    return;
  }
  finish(&response);
  if (to_.reliable()) {
    state_ = State::terminated;
    end_at_.reset();
  } else {
    state_ = State::completed;
    end_at_ = clock_.steady_now() + timers_.t4;  // Timer K
  }
}

void ClientTransaction::on_timer(Time now) {
  if (state_ == State::terminated) return;
  if (end_at_ && now >= *end_at_) {
    if (state_ != State::completed) finish(nullptr);  // Timer F
    state_ = State::terminated;
    end_at_.reset();
    retransmit_at_.reset();
    return;
  }
  if (retransmit_at_ && now >= *retransmit_at_ && (state_ == State::trying || state_ == State::proceeding)) {
    sender_.send(to_, request_);
    // In Proceeding the interval is T2; in Trying it doubles up to T2.
    interval_ = state_ == State::proceeding ? timers_.t2 : std::min(interval_ * 2, timers_.t2);
    retransmit_at_ = now + interval_;
  }
}

std::optional<ClientTransaction::Time> ClientTransaction::deadline() const {
  if (state_ == State::terminated) return std::nullopt;
  if (retransmit_at_ && end_at_) return std::min(*retransmit_at_, *end_at_);
  return retransmit_at_ ? retransmit_at_ : end_at_;
}

std::string ClientTransaction::dump() const {
  static constexpr const char* kNames[] = {"trying", "proceeding", "completed", "terminated"};
  return "ClientTransaction{" + key_ + " " + kNames[static_cast<int>(state_)] + " to " + to_.to_string() + "}";
}

}  // namespace portier::sip::txn
