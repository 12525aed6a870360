#pragma once
// RFC 3261 §17.1.1 INVITE client transaction (Figure 5) with the RFC 6026 Accepted state: Timer A retransmits over
// UDP, Timer B gives up while Calling, a 3xx-6xx is ACKed here (same branch) and Timer D absorbs its
// retransmissions, a 2xx is passed up and so are its retransmissions until Timer M (the TU ACKs 2xx itself).
// Builds the CANCEL of §9.1 for its request. Owned by the TransactionLayer.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/clock.hpp"
#include "sip/msg/message.hpp"
#include "sip/txn/incoming_message.hpp"
#include "sip/txn/sender.hpp"
#include "sip/txn/timer_values.hpp"

namespace portier::sip::txn {

class InviteClientTransaction {
 public:
  enum class State { calling, proceeding, completed, accepted, terminated };
  using Time = Clock::SteadyTime;
  // Called for every response passed up: each 1xx, the first final response and 2xx retransmissions. Called once
  // with nullptr when the transaction fails (Timer B, transport error, or no final answer 64*T1 after a CANCEL).
  using Handler = std::function<void(const IncomingMessage* response)>;

  // `request` is the serialized INVITE including its top Via.
  InviteClientTransaction(std::string key, Peer to, std::string request, Handler handler, Sender& sender,
                          const TimerValues& timers, const Clock& clock);

  void start();
  void on_response(const IncomingMessage& response);
  void on_timer(Time now);
  std::optional<Time> deadline() const;

  // The CANCEL for this INVITE (§9.1: same Request-URI, Call-ID, From, To, CSeq number, top Via and Route).
  std::string make_cancel() const;
  // Bounds the wait for the final response once a CANCEL went out (§9.1: 64*T1).
  void on_cancel_sent(Time now);

  State state() const { return state_; }
  const std::string& key() const { return key_; }
  const Peer& peer() const { return to_; }
  // A CANCEL is waiting for the first provisional response (§9.1 forbids sending it before).
  bool cancel_pending = false;
  std::string dump() const;

 private:
  std::string make_ack(const msg::Message& response) const;
  void pass_up(const IncomingMessage* response);
  void fail();

  std::string key_;
  Peer to_;
  std::unique_ptr<std::string> request_;  // `parsed_` views into it
  msg::Message parsed_;
  Handler handler_;
  Sender& sender_;
  TimerValues timers_;
  const Clock& clock_;
  State state_ = State::calling;
  std::string ack_;                     // for a non-2xx final response, resent on its retransmissions
  std::optional<Time> retransmit_at_;   // Timer A
  std::chrono::milliseconds interval_{};
  std::optional<Time> end_at_;          // Timer B, D, M, or the post-CANCEL bound
};

std::string_view state_name(InviteClientTransaction::State s);

}  // namespace portier::sip::txn
