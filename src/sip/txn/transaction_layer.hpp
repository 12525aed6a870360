#pragma once
// Matches messages to transactions (RFC 3261 §17.2.3 by branch, with the §17.2.3 fallback for RFC 2543 peers),
// absorbs retransmissions, detects merged requests (§8.2.2.2 -> 482) and INVITEs that looped back to us (482),
// answers invalid requests with 400 statelessly, sends 100 Trying for INVITEs the TU does not answer at once,
// answers CANCEL (§9.2), and runs the transaction timers. Owns every transaction; the TU is called through
// Listener and refers to transactions by key.
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
#include "sip/txn/invite_client_transaction.hpp"
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
    // An ACK that belongs to no INVITE transaction awaiting it: the ACK for a 2xx, which is the dialog's
    // (§13.3.1.4; RFC 6026).
    virtual void on_transaction_ack(const IncomingMessage& ack) { (void)ack; }
    // A CANCEL matched this INVITE server transaction, which has just answered 487 (§9.2). The TU ends its
    // early dialog; the transaction lives on until the ACK.
    virtual void on_transaction_cancelled(ServerTransaction& invite) { (void)invite; }
    // Timer H: the peer never ACKed our final non-2xx response to this INVITE. The transaction ends after this.
    virtual void on_transaction_timeout(ServerTransaction& invite) { (void)invite; }
  };

  struct Stats {
    std::uint64_t requests = 0;
    std::uint64_t retransmissions = 0;
    std::uint64_t invalid = 0;
    std::uint64_t merged = 0;
    std::uint64_t stray_responses = 0;
    std::uint64_t loops = 0;
  };

  TransactionLayer(Sender& sender, const Clock& clock, Listener& listener, TimerValues timers = {});
  // RFC 3581: ask for rport in the Via of the UDP requests we send (default on; features.webrtc.nat.rport).
  void set_rport(bool on) { rport_ = on; }
  bool rport() const { return rport_; }

  // Entry point for everything the transport layer parsed.
  void on_message(IncomingMessage&& in);
  // Sends `request` (a complete request without Via) in a new client transaction. `sent_by` is our host:port for
  // the Via. Returns false when it could not be sent (the handler has then been called with nullptr).
  bool send_request(const Peer& to, msg::MessageBuilder request, std::string_view method, std::string_view sent_by,
                    ClientTransaction::Handler handler);
  // Sends `invite` (without Via) in a new INVITE client transaction and returns its key, which cancel() takes.
  // The handler sees every response passed up (see InviteClientTransaction) and nullptr on failure.
  std::string send_invite(const Peer& to, msg::MessageBuilder invite, std::string_view sent_by,
                          InviteClientTransaction::Handler handler);
  // CANCELs the INVITE client transaction `invite_key` (§9.1) in its own non-INVITE transaction: now when a
  // provisional response has arrived, otherwise as soon as one does. False when the INVITE has a final response
  // already or is unknown (then nothing is sent).
  bool cancel(const std::string& invite_key);
  // A request outside any transaction (the ACK for a 2xx) with a fresh Via branch. Returns the text that was sent,
  // so that the TU can send it again (send_raw) when the 2xx is retransmitted.
  std::string send_ack(const Peer& to, msg::MessageBuilder ack, std::string_view sent_by);
  bool send_raw(const Peer& to, std::string text) { return sender_.send(to, std::move(text)); }
  // The TU answers a server transaction later, by key (for INVITEs that ring). False when it is gone.
  bool respond(const std::string& server_key, int status, std::string text);
  ServerTransaction* find_server(const std::string& server_key);
  // Answers a request outside any transaction (e.g. 400 for a request that failed validation).
  void respond_stateless(const IncomingMessage& in, int status, std::string_view reason,
                         std::string_view warning = {});

  // Fires due timers at clock.steady_now() and removes terminated transactions.
  void process_timers();
  std::optional<Clock::SteadyTime> next_deadline() const;

  std::size_t server_count() const { return servers_.size(); }
  std::size_t client_count() const { return clients_.size() + invites_.size(); }
  const Stats& stats() const { return stats_; }
  std::string dump() const;

 private:
  void on_request(IncomingMessage&& in);
  void on_response(IncomingMessage&& in);
  void on_cancel(IncomingMessage&& in, const std::string& invite_key);
  void schedule(ServerTransaction& txn);
  // After the TU or a timer changed a server transaction: drop its merge entry when it no longer is in progress,
  // erase it when terminated, otherwise (re)schedule its deadline.
  void settle(const std::string& key);
  void schedule_invite(InviteClientTransaction& txn);
  void fire_server(const std::string& key, Clock::SteadyTime when, Clock::SteadyTime now);
  void send_cancel(InviteClientTransaction& invite);
  std::string new_branch();
  bool looped(const msg::Message& request) const;
  void erase_server(const std::string& key);
  std::string next_tag();

  Sender& sender_;
  const Clock& clock_;
  Listener& listener_;
  TimerValues timers_;
  bool rport_ = true;
  std::unordered_map<std::string, std::unique_ptr<ServerTransaction>> servers_;
  std::unordered_map<std::string, std::unique_ptr<ClientTransaction>> clients_;
  std::unordered_map<std::string, std::unique_ptr<InviteClientTransaction>> invites_;
  std::unordered_map<std::string, std::string> merged_;  // merge key -> server transaction key
  TimerQueue timer_queue_;
  std::string tag_prefix_;
  std::uint64_t counter_ = 0;
  Stats stats_;
};

// Server transaction key of a request; ACK maps onto its INVITE. Empty when the request has no usable Via.
std::string server_key(const msg::Message& request);

}  // namespace portier::sip::txn
