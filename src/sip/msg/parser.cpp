#include "sip/msg/parser.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "sip/msg/lexer.hpp"
#include "sip/msg/uri.hpp"

namespace portier::sip::msg {
namespace {

constexpr std::string_view kVersion = "SIP/2.0";

bool has_ctl(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\r' && c != '\n') || u == 0x7f) return true;
  }
  return false;
}

}  // namespace

Result<Message> parse_message(std::string_view data, const Limits& limits) { return Parser::parse(data, limits); }

Result<Message> Parser::parse(std::string_view data, const Limits& limits) {
  if (data.size() > limits.max_message) return Error(errc::too_large, "message too large");
  while (data.size() >= 2 && data[0] == '\r' && data[1] == '\n') data.remove_prefix(2);
  if (data.empty()) return Error(errc::invalid_argument, "empty message");
  const auto end = data.find("\r\n\r\n");
  if (end == std::string_view::npos) return Error(errc::invalid_argument, "no end of headers");
  Message m;
  m.raw_ = data;
  const auto eol = data.find("\r\n");
  if (eol > limits.max_line) return Error(errc::too_large, "start line too long");
  if (auto st = parse_start_line(data.substr(0, eol), m); !st) return st.error();
  if (eol < end) {
    if (auto st = parse_headers(data.substr(eol + 2, end - eol), limits, m); !st) return st.error();
  }
  if (auto st = parse_body(data.substr(end + 4), m); !st) return st.error();
  m.raw_ = data.substr(0, static_cast<std::size_t>(m.body_.data() + m.body_.size() - data.data()));
  m.parse_common();
  return m;
}

Status Parser::parse_start_line(std::string_view line, Message& m) {
  if (has_ctl(line)) return Error(errc::invalid_argument, "control character in start line");
  const auto sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return Error(errc::invalid_argument, "bad start line");
  const auto first = line.substr(0, sp1);
  if (first == kVersion) {
    const auto rest = line.substr(sp1 + 1);
    if (rest.size() < 3) return Error(errc::invalid_argument, "bad status line");
    auto code = parse_uint(rest.substr(0, 3), 699);
    if (!code || *code < 100) return Error(errc::invalid_argument, "bad status code");
    if (rest.size() > 3 && rest[3] != ' ') return Error(errc::invalid_argument, "bad status line");
    m.status_ = static_cast<int>(*code);
    m.reason_ = rest.size() > 4 ? rest.substr(4) : std::string_view{};
    return {};
  }
  if (!is_token(first)) return Error(errc::invalid_argument, "bad method");
  const auto sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return Error(errc::invalid_argument, "bad request line");
  const auto version = line.substr(sp2 + 1);
  if (version != kVersion) return Error(errc::invalid_argument, "unsupported SIP version");
  const auto uri_text = line.substr(sp1 + 1, sp2 - sp1 - 1);
  auto uri = parse_uri(uri_text);
  if (!uri) return Error(errc::invalid_argument, "bad Request-URI: " + uri.error().what());
  m.method_ = first;
  m.request_uri_ = uri_text;
  return {};
}

// `block` holds the header lines, each ending in CRLF (the final CRLF of the empty line is not included).
Status Parser::parse_headers(std::string_view block, const Limits& limits, Message& m) {
  m.headers_.reserve(16);
  std::size_t pos = 0;
  while (pos < block.size()) {
    // Find the end of this header, following folded continuation lines.
    std::size_t line_end = block.find("\r\n", pos);
    while (line_end != std::string_view::npos && line_end + 2 < block.size() &&
           (block[line_end + 2] == ' ' || block[line_end + 2] == '\t')) {
      line_end = block.find("\r\n", line_end + 2);
    }
    if (line_end == std::string_view::npos) line_end = block.size();
    const auto line = block.substr(pos, line_end - pos);
    pos = line_end + 2;
    if (line.size() > limits.max_line) return Error(errc::too_large, "header line too long");
    if (m.headers_.size() >= limits.max_headers) return Error(errc::too_large, "too many headers");
    if (has_ctl(line)) return Error(errc::invalid_argument, "control character in header");
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return Error(errc::invalid_argument, "header without colon");
    Header h;
    h.name = trim_lws(line.substr(0, colon));
    if (!is_token(h.name)) return Error(errc::invalid_argument, "bad header name");
    if (colon > 0 && is_lws(line[0])) return Error(errc::invalid_argument, "continuation without header");
    h.value = trim_lws(line.substr(colon + 1));
    h.id = header_id(h.name);
    m.headers_.push_back(h);
  }
  return {};
}

Status Parser::parse_body(std::string_view rest, Message& m) {
  if (m.count(HeaderId::content_length) > 1) return Error(errc::invalid_argument, "several Content-Length headers");
  if (!m.has(HeaderId::content_length)) {
    m.body_ = rest;
    return {};
  }
  auto len = parse_uint(trim_lws(m.header(HeaderId::content_length)));
  if (!len) return Error(errc::invalid_argument, "bad Content-Length");
  if (*len > rest.size()) return Error(errc::invalid_argument, "Content-Length larger than the message");
  m.body_ = rest.substr(0, *len);
  return {};
}

namespace {

Status validate_common(const Message& m) {
  const auto& via = m.top_via();
  if (!via) return Error(errc::invalid_argument, "bad or missing Via: " + via.error().what());
  const auto& from = m.from();
  if (!from) return Error(errc::invalid_argument, "bad or missing From: " + from.error().what());
  const auto& to = m.to();
  if (!to) return Error(errc::invalid_argument, "bad or missing To: " + to.error().what());
  if (m.count(HeaderId::call_id) != 1 || m.call_id().empty())
    return Error(errc::invalid_argument, "bad or missing Call-ID");
  if (m.count(HeaderId::cseq) != 1) return Error(errc::invalid_argument, "need exactly one CSeq");
  const auto& cseq = m.cseq();
  if (!cseq) return Error(errc::invalid_argument, cseq.error().what());
  return {};
}

}  // namespace

Status validate_request(const Message& m) {
  if (!m.is_request()) return Error(errc::invalid_argument, "not a request");
  if (auto st = validate_common(m); !st) return st;
  if (m.cseq()->method != m.method()) return Error(errc::invalid_argument, "CSeq method does not match");
  auto mf = m.max_forwards();
  if (!mf) return mf.error();
  return {};
}

Status validate_response(const Message& m) {
  if (!m.is_response()) return Error(errc::invalid_argument, "not a response");
  return validate_common(m);
}

}  // namespace portier::sip::msg
