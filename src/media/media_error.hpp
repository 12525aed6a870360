#pragma once
// Media failures. The SIP layer answers port_range_exhausted with 503 (Service Unavailable).
#include <system_error>

namespace portier::media {

enum class errc {
  ok = 0,
  port_range_exhausted = 1,  // no free RTP/RTCP port pair in rtp.port_min..port_max
  bind_failed,               // the relay address cannot be bound at all
  invalid_address,           // an SDP address that is not an IP literal
  no_destination,            // a leg without a remote (nothing signalled, nothing latched)
  busy,                      // too many queued DTMF digits
  codec_error,               // libopus refused a setting or failed to encode (see the Error's message)
  corrupt_packet,            // a received Opus packet the decoder rejects (counted and dropped)
  bad_frame,                 // a PCM frame of a size the codec cannot take, or an output buffer too small
};

const std::error_category& error_category();
inline std::error_code make_error_code(errc e) { return {static_cast<int>(e), error_category()}; }

}  // namespace portier::media

template <>
struct std::is_error_code_enum<portier::media::errc> : std::true_type {};
