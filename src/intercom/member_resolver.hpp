#pragma once
// Port: who answers for a ring-group member or a dialled name that is not a registered extension — browser phones
// (the WebRTC gateway, an in-process SIP user agent on loopback). Implemented by intercom::BrowserPhones; borrowed
// by Intercom through set_member_resolver() (it must outlive the Intercom or be unset first). io_context thread only.
#include <string>
#include <vector>

#include "sip/ua/call_legs.hpp"

namespace portier::intercom {

class MemberResolver {
 public:
  virtual ~MemberResolver() = default;
  // SIP targets for a ring-group member or dialled name that is not a registered extension: "webrtc:alice" (config
  // form) or "webrtc-alice" (SIP user form), or an extension number with no registered phone. Empty when nobody
  // is there.
  virtual std::vector<sip::ua::CallLegs::Target> targets(const std::string& member) = 0;
  // Who is behind one of those targets ("webrtc:alice" for a target of "webrtc:*"), so that answered_by and the
  // events name the person; "" when unknown (the member name is used).
  virtual std::string who(const sip::ua::CallLegs::Target& target) const { return {}; }
};

// "webrtc:alice" or "webrtc-alice": a browser phone's name (ring-group config form, SIP user form).
inline bool is_browser_member(const std::string& name) {
  return name.size() > 7 && (name.rfind("webrtc:", 0) == 0 || name.rfind("webrtc-", 0) == 0);
}

}  // namespace portier::intercom
