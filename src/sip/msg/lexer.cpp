#include "sip/msg/lexer.hpp"

#include <string>

namespace portier::sip::msg {

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-': case '.': case '!': case '%': case '*': case '_': case '+': case '`': case '\'': case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

std::string_view trim_lws(std::string_view s) {
  while (!s.empty() && is_lws(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_lws(s.back())) s.remove_suffix(1);
  return s;
}


std::optional<std::vector<std::string_view>> split_top_level(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  const bool closed = scan_top_level(s, sep, [&](std::size_t pos) {
    auto part = trim_lws(s.substr(start, pos - start));
    if (!part.empty()) out.push_back(part);
    start = pos + 1;
    return true;
  });
  if (!closed) return std::nullopt;
  auto last = trim_lws(s.substr(start));
  if (!last.empty()) out.push_back(last);
  return out;
}

std::size_t find_top_level(std::string_view s, char sep) {
  std::size_t found = std::string_view::npos;
  scan_top_level(s, sep, [&](std::size_t pos) {
    found = pos;
    return false;
  });
  return found;
}

std::optional<std::uint32_t> parse_uint(std::string_view s, std::uint32_t max) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > max) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

std::optional<std::string_view> quoted_content(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::nullopt;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '\\') {
      if (i + 2 >= s.size()) return std::nullopt;  // the escape would swallow the closing quote
      ++i;
    } else if (s[i] == '"') {
      return std::nullopt;
    }
  }
  return s.substr(1, s.size() - 2);
}

std::string unescape_quoted(std::string_view content) {
  std::string out;
  out.reserve(content.size());
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '\\' && i + 1 < content.size()) ++i;
    out.push_back(content[i]);
  }
  return out;
}

}  // namespace portier::sip::msg
