// DoorCall, re-INVITEs passed through (hold and resume, RFC 3264 §8): in a bridged two-party call a re-INVITE with a
// changed offer from one leg becomes our re-INVITE to the other leg (our relay's address on that side, the
// offerer's codec and its direction); the other leg's answer is turned into our answer to the offerer. Glare (the
// other leg has an offer of its own outstanding) is answered 491, a refusal by the other leg is passed back.
// Session refreshes (o= version unchanged), conference legs and calls with one leg are answered locally.
#include <spdlog/spdlog.h>

#include "intercom/door_call.hpp"
#include "intercom/intercom.hpp"
#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"

namespace portier::intercom {

using sip::ua::Body;
using sip::ua::CallLeg;
using media::Side;


DoorCall::Leg* DoorCall::bridged_peer(const Leg& leg) {
  for (auto& l : legs_)
    if (l.id != leg.id && l.sip && l.answered && l.side != leg.side) return &l;
  return nullptr;
}

void DoorCall::remember_remote(Leg& leg, const std::string& sdp_body) {
  if (auto parsed = sdp::parse(sdp_body)) leg.remote_version = parsed->origin.session_version;
}

bool DoorCall::on_leg_reoffer(CallLeg& sip_leg, const Body& offer) {
  Leg* leg = find(sip_leg.id());
  if (!leg || state_ != State::answered || room_ || reoffer_) return false;
  Leg* peer = bridged_peer(*leg);
  if (!peer) return false;
  auto parsed = sdp::parse(offer.data);
  if (!parsed || parsed->origin.session_version == leg->remote_version) return false;  // refresh or bad: local
  auto probe = sdp::create_answer(*parsed, local(leg->side));
  if (!probe) return false;  // on_leg_offer refuses it (488)
  // Our offer to the peer: our relay port on its side, its codec, and what the offerer asked for (a sendonly offer
  // means the offerer sends and does not receive: we send to the peer and do not want to receive from it).
  auto ours = local(peer->side);
  ours.direction = sdp::reverse(probe->media.direction);
  ours.session_version = std::to_string(++peer->sdp_version);
  auto out = sdp::create_offer(ours);
  if (!peer->sip->reinvite(Body{sip::ua::kSdpContentType, sdp::serialize(out)})) {
    owner_.log().info("call {}: re-INVITE from {} while {} has an offer outstanding: 491", id_, leg->extension,
                      peer->extension);
    --peer->sdp_version;
    sip_leg.refuse_offer(491);
    return true;
  }
  owner_.log().info("call {}: re-INVITE from {} ({}) passed to {}", id_, leg->extension,
                    sdp::to_string(sdp::reverse(probe->media.direction)), peer->extension);
  peer->offer = out;
  reoffer_ = Reoffer{leg->id, peer->id, std::move(*parsed)};
  return true;
}

// The peer answered our re-INVITE (or refused it): answer the offerer accordingly.
void DoorCall::finish_reoffer(Leg& to, int status, const Body* answer) {
  Reoffer r = std::move(*reoffer_);
  reoffer_.reset();
  Leg* from = find(r.from);
  if (!from || !from->sip) return;
  if (status < 200 || status >= 300) {
    owner_.log().info("call {}: {} refused the passed re-INVITE: {}", id_, to.extension, status);
    from->sip->refuse_offer(status >= 300 && status < 700 ? status : 500);
    return;
  }
  if (!answer || !to.offer) {
    from->sip->refuse_offer(488);
    return;
  }
  auto parsed = sdp::parse(answer->data);
  auto agreed = parsed ? sdp::accept_answer(*to.offer, *parsed, local(to.side))
                       : Result<sdp::NegotiatedMedia>(parsed.error());
  if (!agreed) {
    from->sip->refuse_offer(488);
    return;
  }
  to.media = *agreed;
  to.remote_version = parsed->origin.session_version;
  media_[to.side == Side::a ? 0 : 1] = *agreed;
  if (auto remote = media::leg_remote_from(*agreed)) relay_->set_remote(to.side, *remote);
  // Our answer mirrors the peer's: what it will not receive, we do not ask the offerer to send.
  auto ours = local(from->side);
  ours.direction = sdp::reverse(agreed->direction);
  ours.session_version = std::to_string(++from->sdp_version);
  auto reply = sdp::create_answer(r.offer, ours);
  if (!reply) {
    from->sip->refuse_offer(488);
    return;
  }
  from->media = reply->media;
  from->remote_version = r.offer.origin.session_version;
  media_[from->side == Side::a ? 0 : 1] = reply->media;
  if (auto remote = media::leg_remote_from(reply->media)) relay_->set_remote(from->side, *remote);
  from->sip->answer_offer(Body{sip::ua::kSdpContentType, sdp::serialize(reply->sdp)});
}

}  // namespace portier::intercom
