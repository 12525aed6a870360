#pragma once
// SessionDescription -> SDP text with CRLF line endings, in the RFC 4566 line order.
#include <string>

#include "sdp/session_description.hpp"

namespace portier::sdp {

std::string serialize(const SessionDescription& sdp);

}  // namespace portier::sdp
