#pragma once
// One leg of a call: an INVITE dialog between Portier and one peer, outgoing (we sent the INVITE) or incoming.
// The B2BUA drives legs through this class and hears from them through CallLeg::Listener. Owned by CallLegs; a
// leg stays valid until its Listener got on_leg_failed()/on_leg_ended(), or until the application called
// hangup()/bye()/reject()/cancel() (after which no more callbacks come and the application must forget it).
// Methods never throw; calling one in the wrong state returns false and does nothing.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "sip/txn/incoming_message.hpp"
#include "sip/txn/server_transaction.hpp"
#include "sip/ua/body.hpp"
#include "sip/ua/dialog.hpp"
#include "sip/ua/extension.hpp"
#include "sip/ua/session_timer.hpp"

namespace portier::sip::ua {

class CallLegs;

enum class EndReason {
  remote_bye,       // the peer sent BYE
  cancelled,        // the caller CANCELled an incoming leg before it was answered
  ack_timeout,      // our 2xx was never ACKed (we sent BYE)
  session_expired,  // RFC 4028: the peer did not refresh in time (we sent BYE)
  dialog_gone,      // an in-dialog request got 481 or 408: the peer has forgotten the call
  ring_timeout,     // the application never answered an incoming leg (480 sent)
};
std::string_view end_reason_name(EndReason r);

class CallLeg {
 public:
  using Id = std::uint64_t;
  using Time = Clock::SteadyTime;
  enum class Direction { outgoing, incoming };
  enum class State {
    calling,     // outgoing: INVITE sent, no final answer yet
    ringing,     // incoming: INVITE received, not answered with a final response yet
    accepted,    // incoming: 2xx sent, waiting for the ACK
    confirmed,   // the call is up
    terminated,  // ended, failed, rejected or cancelled; the leg lingers briefly to absorb retransmissions
  };

  class Listener {
   public:
    virtual ~Listener() = default;
    // Outgoing: a 1xx other than 100, with its body (early media SDP in a 183) when it has one.
    virtual void on_leg_provisional(CallLeg& leg, int status, const Body* body) {
      (void)leg, (void)status, (void)body;
    }
    // Outgoing: the 2xx to our INVITE (already ACKed). `answer` is empty when the 2xx had no body.
    virtual void on_leg_answered(CallLeg& leg, const Body& answer) { (void)leg, (void)answer; }
    // Outgoing: the INVITE failed: 3xx-6xx, or 408 on timeout or ring timeout (after cancel() nothing is reported).
    // The leg is gone after this.
    virtual void on_leg_failed(CallLeg& leg, int status, std::string_view reason) {
      (void)leg, (void)status, (void)reason;
    }
    // Incoming: the ACK for our 2xx arrived; `body` is the answer when our 2xx carried the offer.
    virtual void on_leg_confirmed(CallLeg& leg, const Body* body) { (void)leg, (void)body; }
    // The call ended without the application asking. The leg is gone after this.
    virtual void on_leg_ended(CallLeg& leg, EndReason why) { (void)leg, (void)why; }
    // A re-INVITE or UPDATE with an offer: return the answer, or nullopt to refuse it with 488.
    virtual std::optional<Body> on_leg_offer(CallLeg& leg, const Body& offer) {
      (void)leg, (void)offer;
      return std::nullopt;
    }
    // A re-INVITE with an offer that the application answers later (a B2BUA passing it to the other leg): return
    // true, then call answer_offer() or refuse_offer() (also allowed from inside this callback). false (the
    // default) answers at once through on_leg_offer().
    virtual bool on_leg_reoffer(CallLeg& leg, const Body& offer) {
      (void)leg, (void)offer;
      return false;
    }
    // The outcome of our reinvite(): 200 with the answer, or the failure (491 on glare: try again later).
    virtual void on_leg_reinvite_result(CallLeg& leg, int status, const Body* answer) {
      (void)leg, (void)status, (void)answer;
    }
    // An INFO in the dialog (DTMF as application/dtmf-relay, ...). Answered 200.
    virtual void on_leg_info(CallLeg& leg, const Body& body) { (void)leg, (void)body; }
  };

  CallLeg(CallLegs& owner, Id id, Direction direction);
  CallLeg(const CallLeg&) = delete;
  CallLeg& operator=(const CallLeg&) = delete;

  void set_listener(Listener* listener) { listener_ = listener; }

  // Incoming legs, before the final answer.
  bool ring() { return provisional(180, nullptr); }
  bool progress(const Body& early_answer) { return provisional(183, &early_answer); }
  bool provisional(int status, const Body* body);
  // 200 with `answer` (or with our offer when the INVITE had none); retransmitted until the ACK (§13.3.1.4).
  bool accept(const Body& answer);
  bool reject(int status, std::string_view reason = {});

  // Outgoing legs before the final answer: CANCEL (sent once a provisional response arrived, §9.1). A 2xx racing
  // the CANCEL is ACKed and ended with BYE.
  bool cancel();
  // A confirmed call: BYE (deferred until the ACK when our 2xx is not ACKed yet).
  bool bye();
  // Whatever ends this leg in its state: cancel, reject (480/487-like), or BYE.
  void hangup();
  // Re-INVITE with a new offer; the answer comes through on_leg_reinvite_result(). False while another offer is
  // pending or the call is not confirmed.
  bool reinvite(const Body& offer);
  bool send_info(const Body& body);
  // The answer to a re-INVITE taken with on_leg_reoffer(): 200 with `answer`, or `status` (488, 491, 500...).
  // False when no such re-INVITE is waiting.
  bool answer_offer(const Body& answer);
  bool refuse_offer(int status);

  Id id() const { return id_; }
  Direction direction() const { return direction_; }
  State state() const { return state_; }
  // Null until there is a dialog (outgoing: the first 1xx/2xx with a To tag).
  const Dialog* dialog() const { return dialog_ ? &*dialog_ : nullptr; }
  // Incoming: the offer of the INVITE (empty when it had none). Outgoing: the offer we sent.
  const Body& remote_offer() const { return remote_offer_; }
  const std::optional<Extension>& caller() const { return caller_; }
  // RFC 4028: the negotiated interval (0 = none), whether we refresh, and the deadline: when we send the refresh
  // (we refresh) or when we give up on the peer's (it refreshes). nullopt without session timer.
  std::uint32_t session_interval() const { return session_interval_; }
  bool we_refresh() const { return we_refresh_; }
  std::optional<Time> session_deadline() const { return session_deadline_; }
  std::string dump() const;

 private:
  friend class CallLegs;

  // Driven by CallLegs.
  void start_incoming(txn::ServerTransaction& txn, std::optional<Extension> caller, Dialog dialog);
  void start_outgoing(std::string invite_key, Dialog::UacRequest sent, Body offer, std::uint32_t session_expires);
  void on_invite_response(const txn::IncomingMessage* response);
  void on_reinvite_response(std::uint32_t cseq, const txn::IncomingMessage* response);
  void on_request(txn::ServerTransaction& txn);
  void on_ack(const txn::IncomingMessage& ack);
  void on_cancelled();
  void on_timer(Time now);
  std::optional<Time> deadline() const;
  bool finished(Time now) const { return state_ == State::terminated && now >= linger_until_ && !invite_pending_; }

  void on_final_2xx(const txn::IncomingMessage& response);
  void on_final_failure(int status, std::string_view reason);
  void on_request_bye(txn::ServerTransaction& txn);
  void on_request_invite(txn::ServerTransaction& txn);
  void on_request_update(txn::ServerTransaction& txn);
  void on_request_info(txn::ServerTransaction& txn);
  void answer_simple(txn::ServerTransaction& txn, int status, std::string_view reason = {});
  msg::MessageBuilder make_2xx(const txn::ServerTransaction& txn, const Body* body) const;
  void send_2xx(txn::ServerTransaction& txn, const Body* body);
  void start_session_timer();
  void send_bye();
  void send_in_dialog(std::string_view method, const Body* body);
  void apply_uac_session_timer(const msg::Message& response);
  void refresh_session();
  void end(EndReason why);
  void fail(int status, std::string_view reason);
  void terminate();
  Listener* take_listener();

  CallLegs& owner_;
  Id id_;
  Direction direction_;
  State state_;
  Listener* listener_ = nullptr;
  std::optional<Dialog> dialog_;
  std::string registered_key_;  // the dialog key under which CallLegs finds us

  // Incoming.
  std::string invite_txn_;         // server transaction key of the initial INVITE, until the final answer
  std::optional<Extension> caller_;
  Body remote_offer_;
  bool offer_in_ack_ = false;      // the INVITE had no offer: our 2xx carries one and the ACK the answer
  bool bye_after_ack_ = false;
  std::optional<Time> ring_deadline_;
  std::optional<SessionExpires> uas_session_;  // RFC 4028 outcome for our next 2xx
  bool uas_require_timer_ = false;

  // Our 2xx waiting for its ACK (initial INVITE or re-INVITE), §13.3.1.4.
  std::string pending_2xx_;
  std::uint32_t pending_2xx_cseq_ = 0;
  txn::Peer pending_2xx_peer_;
  std::optional<Time> retransmit_at_;
  std::chrono::milliseconds retransmit_interval_{};
  std::optional<Time> ack_deadline_;

  // Outgoing.
  std::string invite_key_;          // client transaction key of our INVITE (initial or re-INVITE)
  Dialog::UacRequest sent_;
  bool invite_pending_ = false;     // our initial INVITE has no final response yet
  bool cancelling_ = false;
  bool ring_timed_out_ = false;
  std::string ack_;                 // our ACK for the 2xx, resent on its retransmissions
  std::uint32_t requested_session_expires_ = 0;
  bool reinvite_pending_ = false;   // our re-INVITE has no final response yet
  std::uint32_t reinvite_cseq_ = 0;
  std::string reinvite_ack_;        // our ACK for the 2xx to our last re-INVITE
  bool refreshing_ = false;         // the pending re-INVITE is our session refresh, not the application's

  // A peer's re-INVITE the application answers later (on_leg_reoffer).
  std::string reoffer_txn_;         // its server transaction key, until answered
  std::optional<SessionExpires> reoffer_session_;
  bool reoffer_require_timer_ = false;

  // Both.
  Body local_body_;                 // the last session description we sent (offer or answer)
  std::uint32_t session_interval_ = 0;
  bool we_refresh_ = false;
  std::optional<Time> session_deadline_;
  Time linger_until_{};
};

std::string_view state_name(CallLeg::State s);

}  // namespace portier::sip::ua
