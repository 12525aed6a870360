#pragma once
// WebRTC gateway failures (offer/answer, transport, endpoint). The intercom maps them for the browser: the offer
// errors become 400 with the message (which says why), port exhaustion stays media::errc::port_range_exhausted.
#include <system_error>

namespace portier::webrtc {

enum class errc {
  ok = 0,
  malformed_sdp = 1,      // the offer is not valid SDP
  no_audio,               // no usable audio m= line
  no_ice_credentials,     // a=ice-ufrag / a=ice-pwd missing
  no_fingerprint,         // a=fingerprint missing or with an unknown hash
  unsupported_transport,  // not UDP/TLS/RTP/SAVPF
  no_rtcp_mux,            // the offer does not multiplex RTCP (we only listen on one port)
  no_common_codec,        // none of the configured browser codecs is offered
  unsupported_setup,      // a=setup:passive offered (we are always the DTLS server)
  bad_candidate,          // an ICE candidate line we cannot use
  not_ready,              // an operation before accept_offer() / before the transport is connected
  closed,                 // the endpoint was closed or failed
  dtls_failed,            // handshake error or fingerprint mismatch
  consent_lost,           // RFC 7675 consent expired
  ice_timeout,            // no ICE nomination in time
  srtp_failed,            // SRTP session could not be created
  bad_digit,              // send_dtmf_to_sip() with a character that is not a DTMF key
};

const std::error_category& error_category();
inline std::error_code make_error_code(errc e) { return {static_cast<int>(e), error_category()}; }

}  // namespace portier::webrtc

template <>
struct std::is_error_code_enum<portier::webrtc::errc> : std::true_type {};
