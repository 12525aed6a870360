#include "sip/txn/server_transaction.hpp"

#include <algorithm>

#include "base/log.hpp"

namespace portier::sip::txn {

std::string_view state_name(ServerTransaction::State s) {
  switch (s) {
    case ServerTransaction::State::trying: return "trying";
    case ServerTransaction::State::proceeding: return "proceeding";
    case ServerTransaction::State::completed: return "completed";
    case ServerTransaction::State::confirmed: return "confirmed";
    case ServerTransaction::State::accepted: return "accepted";
    case ServerTransaction::State::terminated: return "terminated";
  }
  return "?";
}

ServerTransaction::ServerTransaction(std::string key, IncomingMessage request, std::string to_tag, Sender& sender,
                                     const TimerValues& timers, const Clock& clock, bool stateless)
    : key_(std::move(key)),
      request_(std::move(request)),
      to_tag_(std::move(to_tag)),
      sender_(sender),
      timers_(timers),
      invite_(request_.message.method() == "INVITE"),
      stateless_(stateless),
      state_(invite_ ? State::proceeding : State::trying),
      clock_(clock) {
  // A TU that never answers a non-INVITE request must not pin the transaction forever.
  if (!invite_ && !stateless_) end_at_ = clock.steady_now() + 64 * timers.t1;
}

msg::MessageBuilder ServerTransaction::make_response(int status, std::string_view reason) const {
  return msg::make_response(request_.message, status, reason, to_tag_, request_.top_via);
}

void ServerTransaction::send_last() {
  if (!sender_.send(request_.source, last_response_))
    log::get("sip")->debug("txn {}: response not sent to {}", key_, request_.source.to_string());
}

void ServerTransaction::respond(int status, std::string text) {
  if (state_ == State::completed || state_ == State::confirmed || state_ == State::accepted ||
      state_ == State::terminated) {
    log::get("sip")->warn("txn {}: response {} after final response ignored", key_, status);
    return;
  }
  if (stateless_) {
    // Nothing to absorb retransmissions with: the TU answers a copy of the request like the original.
    if (status >= 200) {
      respond_stateless(status, std::move(text));
    } else {
      if (!sender_.send(request_.source, std::move(text)))
        log::get("sip")->debug("stateless {}: response not sent to {}", status, request_.source.to_string());
      answered_ = true;
      state_ = State::proceeding;
    }
    return;
  }
  answered_ = true;
  last_response_ = std::move(text);
  send_last();
  const bool reliable = request_.source.reliable();
  if (status < 200) {
    state_ = State::proceeding;
    return;
  }
  end_at_.reset();
  const auto now = clock_.steady_now();
  if (invite_ && status < 300) {
    // 2xx retransmissions belong to the TU (RFC 3261 §13.3.1.4); Accepted absorbs INVITE copies until Timer L
    // (RFC 6026) so that they are not taken for new calls.
    state_ = State::accepted;
    end_at_ = now + 64 * timers_.t1;
    return;
  }
  state_ = State::completed;
  if (invite_) {
    if (!reliable) {
      retransmit_interval_ = timers_.t1;
      retransmit_at_ = now + retransmit_interval_;
    }
    end_at_ = now + 64 * timers_.t1;  // Timer H
  } else if (reliable) {
    state_ = State::terminated;  // Timer J = 0
  } else {
    end_at_ = now + 64 * timers_.t1;  // Timer J
    // Only the response is needed to absorb retransmissions for the next 32 s: give back the request's memory.
    request_.message = msg::Message{};
    request_.buffer.reset();
    request_.top_via.clear();
    request_.top_via.shrink_to_fit();
    // The serializer reserves head-room; 32 s times thousands of registrations a second makes it worth returning.
    last_response_.shrink_to_fit();
  }
}

void ServerTransaction::respond_stateless(int status, std::string text) {
  if (state_ == State::completed || state_ == State::confirmed || state_ == State::accepted ||
      state_ == State::terminated)
    return;
  (void)status;
  answered_ = true;
  if (!sender_.send(request_.source, std::move(text)))
    log::get("sip")->debug("txn {}: stateless response not sent to {}", key_, request_.source.to_string());
  state_ = State::terminated;
  retransmit_at_.reset();
  end_at_.reset();
}

void ServerTransaction::on_retransmission() {
  if (state_ == State::proceeding || state_ == State::completed) {
    if (!last_response_.empty()) send_last();
  }
}

void ServerTransaction::on_ack(Time now) {
  if (!invite_ || state_ != State::completed) return;
  state_ = State::confirmed;
  retransmit_at_.reset();
  end_at_ = now + (request_.source.reliable() ? std::chrono::milliseconds(0) : timers_.t4);  // Timer I
  if (request_.source.reliable()) state_ = State::terminated;
}

bool ServerTransaction::on_timer(Time now) {
  if (state_ == State::terminated) return false;
  if (end_at_ && now >= *end_at_) {
    const bool timer_h = invite_ && state_ == State::completed;
    if (timer_h) log::get("sip")->debug("txn {}: no ACK (Timer H)", key_);
    state_ = State::terminated;
    retransmit_at_.reset();
    end_at_.reset();
    return timer_h;
  }
  if (retransmit_at_ && now >= *retransmit_at_ && state_ == State::completed) {
    send_last();  // Timer G
    retransmit_interval_ = std::min(retransmit_interval_ * 2, timers_.t2);
    retransmit_at_ = now + retransmit_interval_;
  }
  return false;
}

std::optional<ServerTransaction::Time> ServerTransaction::deadline() const {
  if (state_ == State::terminated) return std::nullopt;
  if (retransmit_at_ && end_at_) return std::min(*retransmit_at_, *end_at_);
  return retransmit_at_ ? retransmit_at_ : end_at_;
}

std::string ServerTransaction::dump() const {
  return "ServerTransaction{" + key_ + " " + std::string(request_.message.method()) + " " +
         std::string(state_name(state_)) + " from " + request_.source.to_string() + "}";
}

}  // namespace portier::sip::txn
