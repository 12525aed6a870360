#pragma once
// SDP failures. The SIP layer maps them to a status: malformed -> 400, no_common_codec/unsupported -> 488.
#include <system_error>

namespace portier::sdp {

enum class errc {
  ok = 0,
  malformed = 1,    // not valid SDP; the Error's message names the line and the reason
  no_common_codec,  // valid SDP, but no audio codec we have enabled is offered (488 Not Acceptable Here)
  unsupported,      // valid SDP without a stream we can take (no audio m= line, unknown transport) (488)
  too_large,        // more bytes, lines or m= sections than the limits allow (400)
};

const std::error_category& error_category();
inline std::error_code make_error_code(errc e) { return {static_cast<int>(e), error_category()}; }

}  // namespace portier::sdp

template <>
struct std::is_error_code_enum<portier::sdp::errc> : std::true_type {};
