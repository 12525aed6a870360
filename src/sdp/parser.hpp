#pragma once
// Bytes -> SessionDescription. Strict about what RFC 4566 requires (v=0 first, o=, s=, t= before the first m=,
// well-formed o=/c=/m=/a= lines, the line order), lenient about line endings (CRLF or bare LF) and trailing
// white space. Errors are sdp::errc::malformed (or too_large) with "line N: reason" for the SIP layer's 400/488.
#include <cstddef>
#include <string_view>

#include "base/result.hpp"
#include "sdp/session_description.hpp"

namespace portier::sdp {

struct Limits {
  std::size_t max_size = 65535;  // bytes, a SIP body at most
  std::size_t max_lines = 2048;
  std::size_t max_media = 32;
};

Result<SessionDescription> parse(std::string_view text, const Limits& limits = {});

}  // namespace portier::sdp
