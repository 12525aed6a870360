#pragma once
// Errors of the browser-phone gateway (BrowserPhones), mapped to HTTP by the app's WebRtcControl adapter.
#include <string>
#include <system_error>

namespace portier::intercom {

enum class phone_errc {
  unknown_session = 1,  // no such session, or another user's
  bad_request,          // malformed SDP/candidate, bad digit
  no_common_codec,
  unknown_extension,
  busy,       // the session already has a call
  no_call,    // answer/decline/hangup/dtmf without a matching call
  not_ready,  // call or answer before the browser's offer was accepted
  unavailable,  // no RTP ports, no SIP listener to reach
};

const std::error_category& phone_category();
inline std::error_code make_error_code(phone_errc e) { return {static_cast<int>(e), phone_category()}; }

}  // namespace portier::intercom

template <>
struct std::is_error_code_enum<portier::intercom::phone_errc> : std::true_type {};
