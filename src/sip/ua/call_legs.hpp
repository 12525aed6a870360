#pragma once
// The call legs of the SIP layer: creates outgoing legs (invite()), turns new INVITEs into incoming legs for the
// InviteHandler, finds the dialog of every in-dialog request (481 when there is none) and of every ACK for a 2xx,
// and runs the legs' timers (2xx retransmission, ring timeout, session timers). Owns every CallLeg. Borrows the
// TransactionLayer and the Clock (both must outlive it). Forking is the caller's business: one leg per contact.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "sip/txn/transaction_layer.hpp"
#include "sip/txn/transport_layer.hpp"
#include "sip/ua/binding.hpp"
#include "sip/ua/call_leg.hpp"
#include "sip/ua/invite_handler.hpp"

namespace portier::sip::ua {

class CallLegs {
 public:
  struct Options {
    std::string domain = "portier.local";  // host of our From when the caller gives none
    std::string user_agent = "Portier";
    // Our listeners, by TransportLayer local index: Via sent-by and Contact host:port (an unspecified address
    // such as 0.0.0.0 is replaced by `domain`).
    std::vector<txn::ListenSpec> locals;
    std::uint32_t min_session_expires = 90;  // Min-SE we insist on (RFC 4028 §5)
    std::chrono::seconds ring_timeout{180};  // outgoing: CANCEL (reported as 408); incoming: 480
    std::chrono::seconds linger{32};         // terminated legs absorb retransmissions this long
    txn::TimerValues timers;                 // T1/T2 for 2xx retransmission
  };

  // Where an outgoing INVITE goes: the Request-URI (a registered contact, or any SIP URI) and, for registered
  // contacts, the flow their REGISTER came from (Binding::source), which reaches them behind NAT. Without `peer`
  // the URI's host must be a numeric address (no DNS here); its transport parameter picks UDP or TCP (TCP needs
  // an open connection from that peer: Portier does not connect out yet).
  struct Target {
    std::string uri;
    std::optional<txn::Peer> peer;
    // A registered contact of an extension (one leg per binding when ringing all of them).
    static Target of(const Binding& b) { return Target{b.contact, b.source}; }
  };

  struct OutgoingCall {
    std::string from_user = "portier";  // our From user part (e.g. the door's number)
    std::string from_display;
    std::string to;                     // To URI; the target URI when empty
    Body offer;                         // may be empty (offer in the 2xx, answer in our ACK is not supported yet)
    std::uint32_t session_expires = 0;  // RFC 4028 interval to ask for (>= 90), 0 for none
    std::uint32_t max_forwards = 70;    // a B2BUA passes on the incoming leg's value minus one
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers (e.g. Alert-Info)
  };

  CallLegs(txn::TransactionLayer& layer, const Clock& clock, Options options);
  ~CallLegs();

  void set_handler(InviteHandler* handler) { handler_ = handler; }
  // Sends an INVITE in a new outgoing leg. Errors (bad URI, no listener for its transport, nothing could be sent)
  // come back as values; everything later through `listener`.
  Result<CallLeg*> invite(const Target& target, OutgoingCall call, CallLeg::Listener& listener);

  // From the TU (SipServer): a new INVITE (no To tag), already authenticated when needed.
  void on_invite(txn::ServerTransaction& txn, std::optional<Extension> caller);
  // A request with a To tag (BYE, re-INVITE, UPDATE, INFO, PRACK, OPTIONS, ...): 481 when no dialog matches.
  void on_in_dialog_request(txn::ServerTransaction& txn);
  void on_ack(const txn::IncomingMessage& ack);
  void on_cancelled(txn::ServerTransaction& invite);
  // Runs due leg timers and forgets finished legs; call it with the transaction timers.
  void process_timers();

  CallLeg* find(CallLeg::Id id);
  std::size_t size() const { return legs_.size(); }
  std::string dump() const;

 private:
  friend class CallLeg;

  // Services for the legs.
  txn::TransactionLayer& layer() { return layer_; }
  const Clock& clock() const { return clock_; }
  const Options& options() const { return options_; }
  std::string sent_by(const txn::Peer& peer) const;
  std::string contact(const txn::Peer& peer, std::string_view user) const;
  std::string allow() const;
  void index_dialog(CallLeg& leg);  // (re)registers the leg under its dialog's key
  void drop_dialog(CallLeg& leg);
  void send_invite(CallLeg& leg, txn::Peer to, msg::MessageBuilder invite, bool reinvite, std::uint32_t cseq);
  Result<txn::Peer> resolve(const Target& target) const;

  txn::TransactionLayer& layer_;
  const Clock& clock_;
  Options options_;
  InviteHandler* handler_ = nullptr;
  std::unordered_map<CallLeg::Id, std::unique_ptr<CallLeg>> legs_;
  std::unordered_map<std::string, CallLeg::Id> dialogs_;      // dialog key -> leg
  std::unordered_map<std::string, CallLeg::Id> invite_txns_;  // INVITE server transaction key -> incoming leg
  CallLeg::Id next_id_ = 0;
};

}  // namespace portier::sip::ua
