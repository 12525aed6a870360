#include "sip/ua/call_leg.hpp"

#include <algorithm>

#include "base/log.hpp"
#include "sip/ua/call_legs.hpp"

namespace portier::sip::ua {
namespace {

Body body_of(const msg::Message& m) {
  return Body{std::string(m.header(msg::HeaderId::content_type)), std::string(m.body())};
}

}  // namespace

std::string_view end_reason_name(EndReason r) {
  switch (r) {
    case EndReason::remote_bye: return "remote_bye";
    case EndReason::cancelled: return "cancelled";
    case EndReason::ack_timeout: return "ack_timeout";
    case EndReason::session_expired: return "session_expired";
    case EndReason::dialog_gone: return "dialog_gone";
    case EndReason::ring_timeout: return "ring_timeout";
  }
  return "?";
}

std::string_view state_name(CallLeg::State s) {
  switch (s) {
    case CallLeg::State::calling: return "calling";
    case CallLeg::State::ringing: return "ringing";
    case CallLeg::State::accepted: return "accepted";
    case CallLeg::State::confirmed: return "confirmed";
    case CallLeg::State::terminated: return "terminated";
  }
  return "?";
}

CallLeg::CallLeg(CallLegs& owner, Id id, Direction direction)
    : owner_(owner),
      id_(id),
      direction_(direction),
      state_(direction == Direction::outgoing ? State::calling : State::ringing) {}

// ---- life cycle -------------------------------------------------------------------------------------------------

CallLeg::Listener* CallLeg::take_listener() {
  auto* l = listener_;
  listener_ = nullptr;
  return l;
}

void CallLeg::terminate() {
  if (!reoffer_txn_.empty()) {  // a re-INVITE the application never answered: the session is over (§15.1.2)
    if (auto* txn = owner_.layer().find_server(reoffer_txn_)) answer_simple(*txn, 487);
    reoffer_txn_.clear();
  }
  state_ = State::terminated;
  linger_until_ = owner_.clock().steady_now() + owner_.options().linger;
  ring_deadline_.reset();
  retransmit_at_.reset();
  ack_deadline_.reset();
  session_deadline_.reset();
  if (dialog_) dialog_->terminate();
}

void CallLeg::end(EndReason why) {
  terminate();
  if (auto* l = take_listener()) l->on_leg_ended(*this, why);
}

void CallLeg::fail(int status, std::string_view reason) {
  terminate();
  if (auto* l = take_listener()) l->on_leg_failed(*this, status, reason);
}

// ---- incoming legs ----------------------------------------------------------------------------------------------

void CallLeg::start_incoming(txn::ServerTransaction& txn, std::optional<Extension> caller, Dialog dialog) {
  caller_ = std::move(caller);
  dialog_ = std::move(dialog);
  invite_txn_ = txn.key();
  const auto& m = txn.message();
  if (!m.body().empty()) remote_offer_ = body_of(m);
  offer_in_ack_ = m.body().empty();
  auto st = negotiate_uas(m, owner_.options().min_session_expires);
  if (st.reject_status) {
    auto r = txn.make_response(422);
    r.add("Min-SE", std::to_string(std::max(owner_.options().min_session_expires, kMinSessionExpires)));
    owner_.layer().respond(invite_txn_, 422, r.serialize());
    terminate();
    return;
  }
  uas_session_ = st.agreed;
  uas_require_timer_ = st.require_timer;
  ring_deadline_ = owner_.clock().steady_now() + owner_.options().ring_timeout;
}

msg::MessageBuilder CallLeg::make_2xx(const txn::ServerTransaction& txn, const Body* body) const {
  auto r = txn.make_response(200);
  r.add("Contact", dialog_->local_contact());
  r.add("Allow", owner_.allow());
  r.add("Supported", "timer");
  if (uas_session_) {
    r.add("Session-Expires", format_session_expires(*uas_session_));
    if (uas_require_timer_) r.add("Require", "timer");
  }
  r.add("Server", owner_.options().user_agent);
  if (body && !body->empty()) r.body(body->type, body->data);
  return r;
}

void CallLeg::start_session_timer() {
  session_interval_ = uas_session_ ? uas_session_->seconds : 0;
  we_refresh_ = uas_session_ && uas_session_->refresher == Refresher::uas;
  if (!session_interval_) {
    session_deadline_.reset();
    return;
  }
  session_deadline_ = owner_.clock().steady_now() +
                      (we_refresh_ ? refresh_after(session_interval_) : expire_after(session_interval_));
}

void CallLeg::send_2xx(txn::ServerTransaction& txn, const Body* body) {
  pending_2xx_ = make_2xx(txn, body).serialize();
  pending_2xx_cseq_ = txn.message().cseq() ? txn.message().cseq()->number : 0;
  pending_2xx_peer_ = txn.request().source;
  owner_.layer().respond(txn.key(), 200, pending_2xx_);
  const auto now = owner_.clock().steady_now();
  // §13.3.1.4: the 2xx is retransmitted by the TU over every transport (reliability is only hop by hop).
  retransmit_interval_ = owner_.options().timers.t1;
  retransmit_at_ = now + retransmit_interval_;
  ack_deadline_ = now + 64 * owner_.options().timers.t1;
  start_session_timer();
}

bool CallLeg::provisional(int status, const Body* body) {
  if (direction_ != Direction::incoming || state_ != State::ringing || status <= 100 || status >= 200) return false;
  auto* txn = owner_.layer().find_server(invite_txn_);
  if (!txn) return false;
  auto r = txn->make_response(status);
  r.add("Contact", dialog_->local_contact());
  r.add("Allow", owner_.allow());
  r.add("Server", owner_.options().user_agent);
  if (body && !body->empty()) {
    r.body(body->type, body->data);
    local_body_ = *body;
  }
  return owner_.layer().respond(invite_txn_, status, r.serialize());
}

bool CallLeg::accept(const Body& answer) {
  if (direction_ != Direction::incoming || state_ != State::ringing) return false;
  auto* txn = owner_.layer().find_server(invite_txn_);
  if (!txn) return false;
  if (!answer.empty()) local_body_ = answer;
  send_2xx(*txn, &answer);
  invite_txn_.clear();
  ring_deadline_.reset();
  state_ = State::accepted;
  return true;
}

bool CallLeg::reject(int status, std::string_view reason) {
  if (direction_ != Direction::incoming || state_ != State::ringing || status < 300 || status > 699) return false;
  if (auto* txn = owner_.layer().find_server(invite_txn_)) {
    auto r = txn->make_response(status, reason);
    r.add("Server", owner_.options().user_agent);
    owner_.layer().respond(invite_txn_, status, r.serialize());
  }
  invite_txn_.clear();
  listener_ = nullptr;
  terminate();
  return true;
}

void CallLeg::on_cancelled() {
  if (state_ != State::ringing) return;
  invite_txn_.clear();
  end(EndReason::cancelled);
}

void CallLeg::on_ack(const txn::IncomingMessage& ack) {
  auto cseq = ack.message.cseq();
  if (!cseq || pending_2xx_.empty() || cseq->number != pending_2xx_cseq_) return;
  pending_2xx_.clear();
  retransmit_at_.reset();
  ack_deadline_.reset();
  if (state_ == State::accepted) {
    state_ = State::confirmed;
    dialog_->confirm();
    if (!bye_after_ack_ && listener_) {
      Body b = body_of(ack.message);
      listener_->on_leg_confirmed(*this, b.empty() ? nullptr : &b);
    }
  }
  if (bye_after_ack_) send_bye();
}

// ---- outgoing legs ----------------------------------------------------------------------------------------------

void CallLeg::start_outgoing(std::string invite_key, Dialog::UacRequest sent, Body offer,
                             std::uint32_t session_expires) {
  invite_key_ = std::move(invite_key);
  sent_ = std::move(sent);
  remote_offer_ = offer;
  local_body_ = std::move(offer);
  requested_session_expires_ = session_expires;
  invite_pending_ = true;
  ring_deadline_ = owner_.clock().steady_now() + owner_.options().ring_timeout;
}

bool CallLeg::cancel() {
  if (direction_ != Direction::outgoing || state_ != State::calling) return false;
  listener_ = nullptr;
  cancelling_ = true;
  owner_.layer().cancel(invite_key_);
  return true;
}

void CallLeg::on_invite_response(const txn::IncomingMessage* response) {
  if (!response) {
    invite_pending_ = false;
    if (state_ == State::calling) fail(408, ring_timed_out_ ? "Ring Timeout" : "Request Timeout");
    return;
  }
  const int status = response->message.status();
  if (status < 200) {
    if (status == 100 || state_ != State::calling) return;
    if (!dialog_ || dialog_->state() == Dialog::State::early) {
      if (auto d = Dialog::create_uac(sent_, response->message)) {
        dialog_ = std::move(d).value();
        owner_.index_dialog(*this);
      }
    }
    if (listener_) {
      Body b = body_of(response->message);
      listener_->on_leg_provisional(*this, status, b.empty() ? nullptr : &b);
    }
    return;
  }
  if (status < 300) {
    on_final_2xx(*response);
    return;
  }
  invite_pending_ = false;
  if (state_ == State::calling) on_final_failure(status, response->message.reason());
}

void CallLeg::on_final_2xx(const txn::IncomingMessage& response) {
  auto d = Dialog::create_uac(sent_, response.message);
  if (!d) {
    log::get("sip")->info("leg {}: 2xx without To tag ignored", id_);
    return;
  }
  // A copy of the 2xx we ACKed already: ACK it again (§13.2.2.4).
  if (dialog_ && dialog_->state() != Dialog::State::early && dialog_->remote_tag() == d->remote_tag()) {
    if (!ack_.empty()) owner_.layer().send_raw(dialog_->peer(), ack_);
    return;
  }
  auto& layer = owner_.layer();
  if (state_ != State::calling) {
    // A 2xx from another fork, or after we gave up: ACK it and end that dialog with BYE.
    Dialog other = std::move(d).value();
    other.confirm();
    layer.send_ack(other.peer(), other.make_ack(sent_.cseq), owner_.sent_by(other.peer()));
    layer.send_request(other.peer(), other.make_request("BYE"), "BYE", owner_.sent_by(other.peer()), nullptr);
    return;
  }
  invite_pending_ = false;
  dialog_ = std::move(d).value();
  dialog_->confirm();
  owner_.index_dialog(*this);
  ack_ = layer.send_ack(dialog_->peer(), dialog_->make_ack(sent_.cseq), owner_.sent_by(dialog_->peer()));
  ring_deadline_.reset();
  state_ = State::confirmed;
  if (cancelling_) {
    // Our CANCEL lost the race against the 2xx (§9.1): the call is not wanted any more.
    send_bye();
    if (ring_timed_out_) fail(408, "Ring Timeout");
    return;
  }
  apply_uac_session_timer(response.message);
  if (listener_) listener_->on_leg_answered(*this, body_of(response.message));
}

void CallLeg::on_final_failure(int status, std::string_view reason) {
  ring_deadline_.reset();
  if (ring_timed_out_) {
    fail(408, "Ring Timeout");
  } else {
    fail(status, reason);
  }
}

void CallLeg::apply_uac_session_timer(const msg::Message& response) {
  if (auto st = negotiate_uac(response)) {
    session_interval_ = st->seconds;
    we_refresh_ = st->we_refresh;
    session_deadline_ = owner_.clock().steady_now() +
                        (we_refresh_ ? refresh_after(session_interval_) : expire_after(session_interval_));
  } else {
    session_interval_ = 0;
    session_deadline_.reset();
  }
}

// ---- both directions ------------------------------------------------------------------------------------------

bool CallLeg::bye() {
  if (state_ == State::accepted) {
    // §15: the callee waits for the ACK (or its timeout) before BYE.
    listener_ = nullptr;
    bye_after_ack_ = true;
    return true;
  }
  if (state_ != State::confirmed) return false;
  listener_ = nullptr;
  send_bye();
  return true;
}

void CallLeg::hangup() {
  switch (state_) {
    case State::calling: cancel(); break;
    case State::ringing: reject(480, "Temporarily Unavailable"); break;
    case State::accepted:
    case State::confirmed: bye(); break;
    case State::terminated: listener_ = nullptr; break;
  }
}

void CallLeg::send_bye() {
  if (!dialog_ || state_ == State::terminated) return;
  send_in_dialog("BYE", nullptr);
  terminate();
}

void CallLeg::send_in_dialog(std::string_view method, const Body* body) {
  auto b = dialog_->make_request(method);
  b.add("User-Agent", owner_.options().user_agent);
  if (body && !body->empty()) b.body(body->type, body->data);
  const auto peer = dialog_->peer();
  auto* owner = &owner_;
  const auto id = id_;
  const bool is_bye = method == "BYE";
  owner_.layer().send_request(peer, std::move(b), method, owner_.sent_by(peer),
                              [owner, id, is_bye](const txn::IncomingMessage* r) {
                                // §12.2.1.2: 481 or 408 means the dialog is gone at the peer.
                                if (is_bye) return;
                                const int status = r ? r->message.status() : 408;
                                if (status != 481 && status != 408) return;
                                auto* leg = owner->find(id);
                                if (leg && leg->state() != State::terminated) leg->end(EndReason::dialog_gone);
                              });
}

bool CallLeg::send_info(const Body& body) {
  if (state_ != State::confirmed || !dialog_) return false;
  send_in_dialog("INFO", &body);
  return true;
}

bool CallLeg::reinvite(const Body& offer) {
  if (state_ != State::confirmed || reinvite_pending_ || !pending_2xx_.empty() || !reoffer_txn_.empty() || !dialog_)
    return false;
  auto b = dialog_->make_request("INVITE");
  b.add("Contact", dialog_->local_contact());
  b.add("Allow", owner_.allow());
  b.add("Supported", "timer");
  if (session_interval_) {
    // In this transaction we are the UAC: refresher=uac keeps us the refresher, uas leaves it with the peer.
    b.add("Session-Expires", std::to_string(session_interval_) + (we_refresh_ ? ";refresher=uac" : ";refresher=uas"));
  }
  b.add("User-Agent", owner_.options().user_agent);
  if (!offer.empty()) {
    b.body(offer.type, offer.data);
    local_body_ = offer;
  }
  reinvite_pending_ = true;
  reinvite_cseq_ = dialog_->local_cseq();
  owner_.send_invite(*this, dialog_->peer(), std::move(b), true, reinvite_cseq_);
  return true;
}

void CallLeg::on_reinvite_response(std::uint32_t cseq, const txn::IncomingMessage* response) {
  const int status = response ? response->message.status() : 408;
  if (status < 200) return;
  if (status < 300 && !reinvite_pending_ && cseq == reinvite_cseq_ && !reinvite_ack_.empty()) {
    owner_.layer().send_raw(dialog_->peer(), reinvite_ack_);  // a copy of the 2xx
    return;
  }
  if (!reinvite_pending_ || cseq != reinvite_cseq_ || state_ == State::terminated) return;
  reinvite_pending_ = false;
  const bool refresh = refreshing_;
  refreshing_ = false;
  if (status < 300) {
    dialog_->refresh_target(response->message);
    reinvite_ack_ =
        owner_.layer().send_ack(dialog_->peer(), dialog_->make_ack(cseq), owner_.sent_by(dialog_->peer()));
    apply_uac_session_timer(response->message);
    if (!refresh && listener_) {
      Body b = body_of(response->message);
      listener_->on_leg_reinvite_result(*this, status, &b);
    }
    return;
  }
  if (status == 481 || status == 408) {
    end(EndReason::dialog_gone);
    return;
  }
  if (refresh) {
    // The refresh failed for another reason (491, 500): try again shortly while the session is still alive.
    session_deadline_ = owner_.clock().steady_now() + std::chrono::seconds(2);
    return;
  }
  if (listener_) listener_->on_leg_reinvite_result(*this, status, nullptr);
}

void CallLeg::refresh_session() {
  if (reinvite_pending_ || !pending_2xx_.empty()) {
    session_deadline_ = owner_.clock().steady_now() + std::chrono::seconds(1);
    return;
  }
  const Body offer = local_body_;
  if (reinvite(offer)) refreshing_ = true;
  session_deadline_.reset();  // the 2xx sets the next one
}

// ---- timers -----------------------------------------------------------------------------------------------------

std::optional<CallLeg::Time> CallLeg::deadline() const {
  std::optional<Time> d;
  for (const auto& t : {ring_deadline_, retransmit_at_, ack_deadline_, session_deadline_}) {
    if (t && (!d || *t < *d)) d = t;
  }
  return d;
}

void CallLeg::on_timer(Time now) {
  if (ring_deadline_ && now >= *ring_deadline_) {
    ring_deadline_.reset();
    if (direction_ == Direction::incoming && state_ == State::ringing) {
      auto* l = take_listener();
      reject(480, "Temporarily Unavailable");
      if (l) l->on_leg_ended(*this, EndReason::ring_timeout);
      return;
    }
    if (direction_ == Direction::outgoing && state_ == State::calling) {
      ring_timed_out_ = true;
      cancelling_ = true;
      owner_.layer().cancel(invite_key_);  // the 487 (or our BYE after a racing 2xx) reports 408
    }
  }
  if (ack_deadline_ && now >= *ack_deadline_) {
    // §13.3.1.4: no ACK for 64*T1: the dialog is confirmed but the session ends.
    pending_2xx_.clear();
    retransmit_at_.reset();
    ack_deadline_.reset();
    if (dialog_) dialog_->confirm();
    state_ = State::confirmed;
    auto* l = take_listener();
    send_bye();
    if (l && !bye_after_ack_) l->on_leg_ended(*this, EndReason::ack_timeout);
    return;
  }
  if (retransmit_at_ && now >= *retransmit_at_) {
    owner_.layer().send_raw(pending_2xx_peer_, pending_2xx_);
    retransmit_interval_ = std::min(retransmit_interval_ * 2, owner_.options().timers.t2);
    retransmit_at_ = now + retransmit_interval_;
  }
  if (session_deadline_ && now >= *session_deadline_ && state_ == State::confirmed) {
    if (we_refresh_) {
      refresh_session();
    } else {
      auto* l = take_listener();
      send_bye();
      if (l) l->on_leg_ended(*this, EndReason::session_expired);
    }
  }
}

std::string CallLeg::dump() const {
  return "CallLeg{" + std::to_string(id_) + (direction_ == Direction::outgoing ? " out " : " in ") +
         std::string(state_name(state_)) + (dialog_ ? " " + dialog_->dump() : std::string()) + "}";
}

}  // namespace portier::sip::ua
