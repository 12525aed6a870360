#pragma once
// RFC 3261 §17.1.2 non-INVITE client transaction (Figure 6): Timer E retransmits over UDP, Timer F gives up,
// Timer K absorbs response retransmissions. Used for OPTIONS keep-alives towards registered contacts.
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "base/clock.hpp"
#include "sip/txn/incoming_message.hpp"
#include "sip/txn/sender.hpp"
#include "sip/txn/timer_values.hpp"

namespace portier::sip::txn {

class ClientTransaction {
 public:
  enum class State { trying, proceeding, completed, terminated };
  using Time = Clock::SteadyTime;
  // Called once: with the final response, or with nullptr on timeout or transport failure.
  using Handler = std::function<void(const IncomingMessage* response)>;

  ClientTransaction(std::string key, Peer to, std::string request, Handler handler, Sender& sender,
                    const TimerValues& timers, const Clock& clock);

  void start();
  void on_response(const IncomingMessage& response);
  void on_timer(Time now);
  std::optional<Time> deadline() const;
  State state() const { return state_; }
  const std::string& key() const { return key_; }
  std::string dump() const;

 private:
  void finish(const IncomingMessage* response);

  std::string key_;
  Peer to_;
  std::string request_;
  Handler handler_;
  Sender& sender_;
  TimerValues timers_;
  const Clock& clock_;
  State state_ = State::trying;
  std::optional<Time> retransmit_at_;  // Timer E
  std::chrono::milliseconds interval_{};
  std::optional<Time> end_at_;         // Timer F, then Timer K
};

}  // namespace portier::sip::txn
