#pragma once
// Port: the application decides about incoming calls. SipServer hands every new (authenticated, when the caller
// claims an extension) INVITE to it as a CallLeg; the application sets the leg's Listener and answers with
// leg.reject(), leg.ring()/leg.progress() and leg.accept(), at once or later (within CallLegs::Options::
// ring_timeout, after which the leg answers 480 by itself and reports on_leg_ended(timeout)).
#include <cstdint>
#include <optional>
#include <string>

#include "sip/txn/peer.hpp"
#include "sip/ua/body.hpp"
#include "sip/ua/extension.hpp"

namespace portier::sip::ua {

class CallLeg;

struct IncomingCall {
  std::optional<Extension> caller;  // the extension that authenticated; nullopt for unauthenticated callers
  std::string from_uri;             // From URI as sent
  std::string from_display;
  std::string to_uri;
  std::string request_uri;          // whom the caller dialled ("sip:door@portier.local")
  Body offer;                       // empty when the caller sent no offer (then our 2xx carries it)
  txn::Peer source;
  std::uint32_t max_forwards = 70;  // of the INVITE: a B2BUA gives its outgoing legs one less (loop safety)
};

class InviteHandler {
 public:
  virtual ~InviteHandler() = default;
  virtual void on_incoming_call(CallLeg& leg, const IncomingCall& call) = 0;
};

}  // namespace portier::sip::ua
