#pragma once
// Small lexical helpers shared by the SIP header parsers. All work on views and never allocate, except split_top_level.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace portier::sip::msg {

// Linear white space, including the CR/LF of folded header lines (RFC 3261 §7.3.1).
inline bool is_lws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
// RFC 3261 "token" characters.
bool is_token_char(char c);
bool is_token(std::string_view s);
std::string_view trim_lws(std::string_view s);
// Splits on `sep` outside quoted strings and <...>; empty elements are dropped. Returns nullopt when a quote or
// angle bracket is left open.
std::optional<std::vector<std::string_view>> split_top_level(std::string_view s, char sep);
// Position of the first `sep` outside quotes and <...>, or npos.
std::size_t find_top_level(std::string_view s, char sep);
// Decimal digits only, no sign, value <= max.
std::optional<std::uint32_t> parse_uint(std::string_view s, std::uint32_t max = 0xffffffffu);
// The content of a quoted-string with quoted-pairs kept as they are (zero-copy); nullopt when not well-formed.
std::optional<std::string_view> quoted_content(std::string_view s);
// Removes the backslashes of quoted-pairs.
std::string unescape_quoted(std::string_view content);

// Walks `s` and calls on_sep(pos) for every `sep` at top level (not inside a quoted string or <...>); on_sep
// returns false to stop early. Returns false when a quote or <...> stays open.
template <class F>
bool scan_top_level(std::string_view s, char sep, F&& on_sep) {
  bool in_quote = false;
  bool in_angle = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_quote) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_quote = false;
      }
      continue;
    }
    if (in_angle) {
      if (c == '>') in_angle = false;
      continue;
    }
    if (c == '"') {
      in_quote = true;
    } else if (c == '<') {
      in_angle = true;
    } else if (c == sep) {
      if (!on_sep(i)) return true;
    }
  }
  return !in_quote && !in_angle;
}

}  // namespace portier::sip::msg
