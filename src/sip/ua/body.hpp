#pragma once
// A message body as the SIP layer sees it: opaque bytes with their Content-Type (SDP is parsed by src/sdp, not here).
#include <string>

namespace portier::sip::ua {

inline constexpr const char* kSdpContentType = "application/sdp";

struct Body {
  std::string type;  // Content-Type, e.g. "application/sdp"
  std::string data;
  bool empty() const { return data.empty(); }
};

}  // namespace portier::sip::ua
