#pragma once
// RFC 3261 §17.2 server transactions, INVITE (Figure 7, with the RFC 6026 Accepted state) and non-INVITE
// (Figure 8). Owned by the TransactionLayer; the TU answers through respond() (or the layer's respond() when it
// answers later). Timers are deadlines that the layer drives through on_timer().
// A stateless one (RFC 3261 §8.2.7; the layer makes them for methods it was told to answer statelessly) lives
// only for the TU's synchronous call: its final response is sent once and it ends at once, nothing is kept.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "sip/msg/message_builder.hpp"
#include "sip/txn/incoming_message.hpp"
#include "sip/txn/sender.hpp"
#include "sip/txn/timer_values.hpp"

namespace portier::sip::txn {

class ServerTransaction {
 public:
  enum class State { trying, proceeding, completed, confirmed, accepted, terminated };
  using Time = Clock::SteadyTime;

  ServerTransaction(std::string key, IncomingMessage request, std::string to_tag, Sender& sender,
                    const TimerValues& timers, const Clock& clock, bool stateless = false);

  // The request is released once a final non-INVITE response went out over UDP (only `source` stays valid then).
  const IncomingMessage& request() const { return request_; }
  const msg::Message& message() const { return request_.message; }
  bool is_invite() const { return invite_; }
  bool is_stateless() const { return stateless_; }
  const std::string& key() const { return key_; }
  const std::string& to_tag() const { return to_tag_; }
  State state() const { return state_; }

  // Via (with received/rport), From, To (with our tag), Call-ID and CSeq already filled in.
  msg::MessageBuilder make_response(int status, std::string_view reason = {}) const;
  // Sends `text` (a serialized response with status `status`) and advances the state machine. A response after a
  // final one is ignored.
  void respond(int status, std::string text);
  void respond(int status, std::string_view reason = {}) { respond(status, make_response(status, reason).serialize()); }
  // Sends a final response without keeping state (RFC 3261 §8.2.7): the transaction ends now and a retransmitted
  // request is handled as a new one. For cheap, idempotent answers such as digest challenges.
  void respond_stateless(int status, std::string text);

  // Whether any response (a 100 Trying included) went out.
  bool answered() const { return answered_; }

  // Called by the layer.
  void on_retransmission();
  void on_ack(Time now);
  // True when Timer H fired: the peer never ACKed our final non-2xx response.
  bool on_timer(Time now);
  // Earliest pending deadline, nullopt when none (terminated).
  std::optional<Time> deadline() const;
  // Merged-request key (From tag, Call-ID, CSeq) for requests outside a dialog, empty otherwise.
  std::string merge_key;
  // Time of this transaction's newest TimerQueue entry (maintained by the layer).
  std::optional<Time> scheduled;

  std::string dump() const;

 private:
  void send_last();

  std::string key_;
  IncomingMessage request_;
  std::string to_tag_;
  Sender& sender_;
  TimerValues timers_;
  bool invite_;
  bool stateless_;
  bool answered_ = false;
  State state_;
  const Clock& clock_;
  std::string last_response_;
  std::optional<Time> retransmit_at_;  // Timer G
  std::chrono::milliseconds retransmit_interval_{};
  // Timers H, I, J, L, or (non-INVITE only) the give-up deadline while the TU has not answered. An INVITE may ring
  // for minutes: the TU bounds that itself.
  std::optional<Time> end_at_;
};

std::string_view state_name(ServerTransaction::State s);

}  // namespace portier::sip::txn
