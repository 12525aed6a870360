#pragma once
// SRTP/SRTCP failures. Packet failures (auth, replay, malformed) are counted and the packet dropped by the caller.
#include <system_error>

namespace portier::webrtc {

enum class srtp_errc {
  ok = 0,
  init_failed = 1,   // srtp_init() failed (library unusable)
  bad_key,           // key||salt of the wrong length for the profile
  create_failed,     // srtp_create() refused the policy
  buffer_too_small,  // protect: capacity < size + kMaxTrailer
  bad_packet,        // too short, too long or not parseable as RTP/RTCP
  auth_failed,       // authentication tag mismatch (tampered or wrong key)
  replay,            // already seen, or older than the replay window
  failed,            // any other libsrtp error
};

const std::error_category& srtp_error_category();
inline std::error_code make_error_code(srtp_errc e) { return {static_cast<int>(e), srtp_error_category()}; }

}  // namespace portier::webrtc

template <>
struct std::is_error_code_enum<portier::webrtc::srtp_errc> : std::true_type {};
