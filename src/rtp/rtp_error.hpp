#pragma once
// Why a datagram is not a valid RTP/RTCP/telephone-event packet. Carried without a message so that rejecting a
// flood of bad packets never allocates; the category's text says enough for a counter or a debug log.
#include <system_error>

namespace portier::rtp {

enum class errc {
  ok = 0,
  too_short = 1,  // shorter than the fixed header or than what the header announces
  bad_version,    // version field is not 2
  bad_padding,    // padding count of zero or larger than the payload
  bad_length,     // RTCP length words do not add up to the datagram
  not_rtcp,       // an RTCP packet type outside 192..223 (RFC 5761)
  bad_value,      // a field out of its range (telephone-event volume, dtmf-relay signal)
};

const std::error_category& error_category();
inline std::error_code make_error_code(errc e) { return {static_cast<int>(e), error_category()}; }

}  // namespace portier::rtp

template <>
struct std::is_error_code_enum<portier::rtp::errc> : std::true_type {};
