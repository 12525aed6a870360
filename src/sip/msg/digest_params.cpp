#include "sip/msg/digest_params.hpp"

#include <array>
#include <utility>

#include "base/error.hpp"
#include "base/strings.hpp"
#include "sip/msg/lexer.hpp"

namespace portier::sip::msg {
namespace {

struct Field {
  std::string_view name;
  std::string DigestParams::*member;
};

constexpr std::array kFields{
    Field{"username", &DigestParams::username}, Field{"realm", &DigestParams::realm},
    Field{"nonce", &DigestParams::nonce},       Field{"uri", &DigestParams::uri},
    Field{"response", &DigestParams::response}, Field{"algorithm", &DigestParams::algorithm},
    Field{"cnonce", &DigestParams::cnonce},     Field{"opaque", &DigestParams::opaque},
    Field{"qop", &DigestParams::qop},           Field{"nc", &DigestParams::nc},
};

Result<std::string> parse_value(std::string_view raw) {
  if (raw.size() > kMaxDigestValue + 2) return Error(errc::too_large, "digest value too long");
  if (!raw.empty() && raw.front() == '"') {
    auto content = quoted_content(raw);
    if (!content) return Error(errc::invalid_argument, "bad quoted string in digest");
    return unescape_quoted(*content);
  }
  if (!is_token(raw)) return Error(errc::invalid_argument, "bad token in digest");
  return std::string(raw);
}

}  // namespace

std::string DigestParams::dump() const {
  return "Digest{username=" + username + " realm=" + realm + " uri=" + uri + " algorithm=" + algorithm +
         " qop=" + qop + " nc=" + nc + (stale ? " stale" : "") + "}";
}

Result<DigestParams> parse_digest(std::string_view value) {
  auto v = trim_lws(value);
  std::size_t i = 0;
  while (i < v.size() && !is_lws(v[i])) ++i;
  if (!iequals(v.substr(0, i), "Digest")) return Error(errc::invalid_argument, "not a Digest scheme");
  auto items = split_top_level(v.substr(i), ',');
  if (!items) return Error(errc::invalid_argument, "unterminated quote in digest");
  DigestParams out;
  unsigned seen = 0;
  bool seen_stale = false;
  for (auto item : *items) {
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) return Error(errc::invalid_argument, "digest parameter without value");
    const auto name = trim_lws(item.substr(0, eq));
    if (!is_token(name)) return Error(errc::invalid_argument, "bad digest parameter name");
    auto val = parse_value(trim_lws(item.substr(eq + 1)));
    if (!val) return val.error();
    if (iequals(name, "stale")) {
      if (seen_stale) return Error(errc::invalid_argument, "duplicate digest parameter");
      seen_stale = true;
      out.stale = iequals(*val, "true");
      continue;
    }
    for (std::size_t f = 0; f < kFields.size(); ++f) {
      if (name.size() != kFields[f].name.size() || !iequals(name, kFields[f].name)) continue;
      if (seen & (1u << f)) return Error(errc::invalid_argument, "duplicate digest parameter");
      seen |= 1u << f;
      out.*(kFields[f].member) = std::move(val).value();
      break;
    }
  }
  return out;
}

std::string quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace portier::sip::msg
