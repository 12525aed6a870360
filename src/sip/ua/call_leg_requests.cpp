// CallLeg: requests the peer sends inside the dialog (RFC 3261 §12.2.2, §14.2, §15; RFC 3311 UPDATE; RFC 6086
// INFO). One handler per method.
#include "base/log.hpp"
#include "base/random.hpp"
#include "sip/ua/call_leg.hpp"
#include "sip/ua/call_legs.hpp"

namespace portier::sip::ua {
namespace {

Body body_of(const msg::Message& m) {
  return Body{std::string(m.header(msg::HeaderId::content_type)), std::string(m.body())};
}

}  // namespace

void CallLeg::answer_simple(txn::ServerTransaction& txn, int status, std::string_view reason) {
  auto r = txn.make_response(status, reason);
  if (status == 405 || status == 200) r.add("Allow", owner_.allow());
  if (status == 500) r.add("Retry-After", std::to_string(random_hex(1)[0] % 10));
  r.add("Server", owner_.options().user_agent);
  owner_.layer().respond(txn.key(), status, r.serialize());
}

void CallLeg::on_request(txn::ServerTransaction& txn) {
  const auto& m = txn.message();
  const auto method = m.method();
  auto cseq = m.cseq();
  if (!cseq || !dialog_) {
    answer_simple(txn, 400);
    return;
  }
  if (!dialog_->accept_remote_cseq(cseq->number)) {
    answer_simple(txn, 500, "CSeq Out Of Order");
    return;
  }
  if (method == "BYE") {
    on_request_bye(txn);
  } else if (method == "INVITE") {
    on_request_invite(txn);
  } else if (method == "UPDATE") {
    on_request_update(txn);
  } else if (method == "INFO") {
    on_request_info(txn);
  } else if (method == "PRACK" || method == "OPTIONS") {
    // We never send reliable provisional responses (no 100rel), so a PRACK has nothing to acknowledge: 200 is the
    // sensible answer for peers that send one anyway.
    answer_simple(txn, 200);
  } else {
    answer_simple(txn, 405);
  }
}

void CallLeg::on_request_bye(txn::ServerTransaction& txn) {
  answer_simple(txn, 200);
  if (direction_ == Direction::incoming && state_ == State::ringing && !invite_txn_.empty()) {
    // A BYE in the early dialog ends the INVITE too (§15.1.2).
    if (auto* invite = owner_.layer().find_server(invite_txn_)) {
      owner_.layer().respond(invite_txn_, 487, invite->make_response(487).serialize());
    }
    invite_txn_.clear();
  }
  end(EndReason::remote_bye);
}

void CallLeg::on_request_invite(txn::ServerTransaction& txn) {
  const auto& m = txn.message();
  // Glare (§14.1): our own re-INVITE is pending, or our 2xx carrying an offer awaits its ACK.
  if (state_ != State::confirmed || reinvite_pending_ || !pending_2xx_.empty() || !reoffer_txn_.empty()) {
    answer_simple(txn, 491);
    return;
  }
  auto st = negotiate_uas(m, owner_.options().min_session_expires);
  if (st.reject_status) {
    auto r = txn.make_response(422);
    r.add("Min-SE", std::to_string(std::max(owner_.options().min_session_expires, kMinSessionExpires)));
    owner_.layer().respond(txn.key(), 422, r.serialize());
    return;
  }
  Body answer = local_body_;  // an INVITE without offer gets our current description as the offer
  if (!m.body().empty()) {
    const Body offer = body_of(m);
    if (listener_) {  // the application may answer later (answer_offer/refuse_offer)
      dialog_->refresh_target(m);
      reoffer_txn_ = txn.key();
      reoffer_session_ = st.agreed;
      reoffer_require_timer_ = st.require_timer;
      if (listener_->on_leg_reoffer(*this, offer)) return;
      reoffer_txn_.clear();
    }
    auto a = listener_ ? listener_->on_leg_offer(*this, offer) : std::nullopt;
    if (!a) {
      answer_simple(txn, 488);
      return;
    }
    answer = std::move(*a);
    local_body_ = answer;
  }
  dialog_->refresh_target(m);
  uas_session_ = st.agreed;
  uas_require_timer_ = st.require_timer;
  send_2xx(txn, &answer);
}

bool CallLeg::answer_offer(const Body& answer) {
  if (reoffer_txn_.empty()) return false;
  auto* txn = owner_.layer().find_server(reoffer_txn_);
  reoffer_txn_.clear();
  if (!txn || state_ != State::confirmed) return false;
  local_body_ = answer;
  uas_session_ = reoffer_session_;
  uas_require_timer_ = reoffer_require_timer_;
  send_2xx(*txn, &answer);
  return true;
}

bool CallLeg::refuse_offer(int status) {
  if (reoffer_txn_.empty() || status < 300 || status > 699) return false;
  auto* txn = owner_.layer().find_server(reoffer_txn_);
  reoffer_txn_.clear();
  if (!txn) return false;
  answer_simple(*txn, status);
  return true;
}

void CallLeg::on_request_update(txn::ServerTransaction& txn) {
  const auto& m = txn.message();
  auto st = negotiate_uas(m, owner_.options().min_session_expires);
  if (st.reject_status) {
    auto r = txn.make_response(422);
    r.add("Min-SE", std::to_string(std::max(owner_.options().min_session_expires, kMinSessionExpires)));
    owner_.layer().respond(txn.key(), 422, r.serialize());
    return;
  }
  std::optional<Body> answer;
  if (!m.body().empty()) {
    if (reinvite_pending_) {
      answer_simple(txn, 491);  // RFC 3311 §5.2: an offer of ours is outstanding
      return;
    }
    answer = listener_ ? listener_->on_leg_offer(*this, body_of(m)) : std::nullopt;
    if (!answer) {
      answer_simple(txn, 488);
      return;
    }
    local_body_ = *answer;
  }
  dialog_->refresh_target(m);
  uas_session_ = st.agreed;
  uas_require_timer_ = st.require_timer;
  auto r = make_2xx(txn, answer ? &*answer : nullptr);
  owner_.layer().respond(txn.key(), 200, r.serialize());
  if (state_ == State::confirmed || state_ == State::accepted) start_session_timer();
}

void CallLeg::on_request_info(txn::ServerTransaction& txn) {
  const Body body = body_of(txn.message());
  answer_simple(txn, 200);
  if (listener_) listener_->on_leg_info(*this, body);
}

}  // namespace portier::sip::ua
