#include "sip/msg/stream_framer.hpp"

#include <optional>

#include "base/error.hpp"
#include "sip/msg/header_id.hpp"
#include "sip/msg/lexer.hpp"

namespace portier::sip::msg {
namespace {

// Content-Length from a header block (start line excluded), nullopt when absent; error when malformed or repeated.
Result<std::optional<std::uint32_t>> find_content_length(std::string_view block) {
  std::optional<std::uint32_t> found;
  std::size_t pos = 0;
  while (pos < block.size()) {
    auto eol = block.find("\r\n", pos);
    if (eol == std::string_view::npos) eol = block.size();
    const auto line = block.substr(pos, eol - pos);
    pos = eol + 2;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || line.empty() || is_lws(line[0])) continue;
    if (header_id(trim_lws(line.substr(0, colon))) != HeaderId::content_length) continue;
    auto v = parse_uint(trim_lws(line.substr(colon + 1)));
    if (!v) return Error(errc::invalid_argument, "bad Content-Length");
    if (found) return Error(errc::invalid_argument, "several Content-Length headers");
    found = *v;
  }
  return found;
}

}  // namespace

Result<Frame> next_frame(std::string_view buffer, const Limits& limits) {
  if (buffer.starts_with("\r\n")) {
    if (buffer.starts_with("\r\n\r\n")) return Frame{Frame::Kind::ping, 4};
    if (buffer.size() < 4 && std::string_view("\r\n\r\n").starts_with(buffer)) return Frame{};
    return Frame{Frame::Kind::pong, 2};
  }
  const auto end = buffer.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (buffer.size() > limits.max_message) return Error(errc::too_large, "header block too large");
    return Frame{};
  }
  auto length = find_content_length(buffer.substr(0, end + 2));
  if (!length) return length.error();
  if (!*length) return Error(errc::invalid_argument, "Content-Length required on stream transports");
  const std::size_t total = end + 4 + **length;
  if (total > limits.max_message) return Error(errc::too_large, "message too large");
  if (buffer.size() < total) return Frame{};
  return Frame{Frame::Kind::message, total};
}

}  // namespace portier::sip::msg
