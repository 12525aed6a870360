#pragma once
// Matches messages to transactions (RFC 3261 §17.2.3 by branch, with the §17.2.3 fallback for RFC 2543 peers),
// absorbs retransmissions, detects merged requests (§8.2.2.2), answers invalid requests with 400 statelessly, and
// runs the transaction timers. Owns every transaction; the TU is called through Listener.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.hpp"
#include "sip/msg/message_builder.hpp"
#include "sip/txn/client_transaction.hpp"
#include "sip/txn/incoming_message.hpp"
#include "sip/txn/sender.hpp"
#include "sip/txn/server_transaction.hpp"
#include "sip/txn/timer_queue.hpp"
#include "sip/txn/timer_values.hpp"

namespace portier::sip::txn {

class TransactionLayer {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // A new request in a new server transaction. The TU answers with txn.respond() (now or later); the
    // reference stays valid until a final response was sent or the transaction timed out.
    virtual void on_transaction_request(ServerTransaction& txn) = 0;
  };

  struct Stats {
    std::uint64_t requests = 0;
    std::uint64_t retransmissions = 0;
    std::uint64_t invalid = 0;
    std::uint64_t merged = 0;
    std::uint64_t stray_responses = 0;
  };

  TransactionLayer(Sender& sender, const Clock& clock, Listener& listener, TimerValues timers = {});

  // Entry point for everything the transport layer parsed.
  void on_message(IncomingMessage&& in);
  // Sends `request` (a complete request without Via) in a new client transaction. `sent_by` is our host:port for
  // the Via. Returns false when it could not be sent (the handler has then been called with nullptr).
  bool send_request(const Peer& to, msg::MessageBuilder request, std::string_view method, std::string_view sent_by,
                    ClientTransaction::Handler handler);
  // Answers a request outside any transaction (e.g. 400 for a request that failed validation).
  void respond_stateless(const IncomingMessage& in, int status, std::string_view reason,
                         std::string_view warning = {});

  // Fires due timers at clock.steady_now() and removes terminated transactions.
  void process_timers();
  std::optional<Clock::SteadyTime> next_deadline() const;

  std::size_t server_count() const { return servers_.size(); }
  std::size_t client_count() const { return clients_.size(); }
  const Stats& stats() const { return stats_; }
  std::string dump() const;

 private:
  void on_request(IncomingMessage&& in);
  void on_response(IncomingMessage&& in);
  void on_cancel(IncomingMessage&& in, const std::string& invite_key);
  void schedule(ServerTransaction& txn);
  void erase_server(const std::string& key);
  std::string next_tag();

  Sender& sender_;
  const Clock& clock_;
  Listener& listener_;
  TimerValues timers_;
  std::unordered_map<std::string, std::unique_ptr<ServerTransaction>> servers_;
  std::unordered_map<std::string, std::unique_ptr<ClientTransaction>> clients_;
  std::unordered_map<std::string, std::string> merged_;  // merge key -> server transaction key
  TimerQueue timer_queue_;
  std::string tag_prefix_;
  std::uint64_t counter_ = 0;
  Stats stats_;
};

// Server transaction key of a request; ACK maps onto its INVITE. Empty when the request has no usable Via.
std::string server_key(const msg::Message& request);

}  // namespace portier::sip::txn
