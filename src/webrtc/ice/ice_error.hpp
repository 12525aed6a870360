#pragma once
// ICE failures as values: a candidate line we cannot use is an expected outcome (browsers send mDNS names and TCP
// candidates), never an exception.
#include <system_error>

namespace portier::webrtc::ice {

enum class errc {
  ok = 0,
  malformed_candidate = 1,  // not a candidate line (RFC 8839 §5.1 grammar)
  unsupported_candidate,    // well-formed but not usable here: mDNS ".local" or other host names, TCP
};

const std::error_category& error_category();
inline std::error_code make_error_code(errc e) { return {static_cast<int>(e), error_category()}; }

}  // namespace portier::webrtc::ice

template <>
struct std::is_error_code_enum<portier::webrtc::ice::errc> : std::true_type {};
