#pragma once
// Splits a TCP/TLS byte stream into SIP messages by Content-Length (RFC 3261 §18.3) and recognises the RFC 5626
// CRLF keep-alives. Pure: the caller owns the buffer and consumes `size` bytes after each frame.
#include <cstddef>
#include <string_view>

#include "base/result.hpp"
#include "sip/msg/parser.hpp"

namespace portier::sip::msg {

struct Frame {
  enum class Kind { need_more, message, ping, pong };
  Kind kind = Kind::need_more;
  std::size_t size = 0;  // bytes to consume
};

// Errors (missing/bad Content-Length, oversize) mean the stream cannot be resynchronised: close the connection.
Result<Frame> next_frame(std::string_view buffer, const Limits& limits = {});

}  // namespace portier::sip::msg
