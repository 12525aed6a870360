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

// One name=value item of the list: validated like every other, stored when it is a known field.
Status apply_item(std::string_view item, DigestParams& out, unsigned& seen, bool& seen_stale) {
  const auto eq = item.find('=');
  if (eq == std::string_view::npos) return Error(errc::invalid_argument, "digest parameter without value");
  const auto name = trim_lws(item.substr(0, eq));
  if (!is_token(name)) return Error(errc::invalid_argument, "bad digest parameter name");
  auto value = trim_lws(item.substr(eq + 1));
  if (value.size() > kMaxDigestValue + 2) return Error(errc::too_large, "digest value too long");
  bool escaped = false;
  if (!value.empty() && value.front() == '"') {
    auto content = quoted_content(value);
    if (!content) return Error(errc::invalid_argument, "bad quoted string in digest");
    value = *content;
    escaped = value.find('\\') != std::string_view::npos;
  } else if (!is_token(value)) {
    return Error(errc::invalid_argument, "bad token in digest");
  }
  // Values are copied straight from the header; only quoted strings with escapes need unescaping.
  auto assign = [&](std::string& member) {
    if (escaped) member = unescape_quoted(value);
    else member.assign(value);
  };
  if (name.size() == 5 && iequals(name, "stale")) {
    if (seen_stale) return Error(errc::invalid_argument, "duplicate digest parameter");
    seen_stale = true;
    out.stale = iequals(escaped ? std::string_view(unescape_quoted(value)) : value, "true");
    return {};
  }
  for (std::size_t f = 0; f < kFields.size(); ++f) {
    if (name.size() != kFields[f].name.size() || !iequals(name, kFields[f].name)) continue;
    if (seen & (1u << f)) return Error(errc::invalid_argument, "duplicate digest parameter");
    seen |= 1u << f;
    assign(out.*(kFields[f].member));
    break;
  }
  return {};
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
  // One pass over the comma-separated list (commas inside quoted strings and <...> do not count), handling each
  // item as it is found: no list of parts, no intermediate strings.
  const auto rest = v.substr(i);
  DigestParams out;
  unsigned seen = 0;
  bool seen_stale = false;
  std::size_t start = 0;
  Status failed;
  const bool closed = scan_top_level(rest, ',', [&](std::size_t p) {
    if (auto item = trim_lws(rest.substr(start, p - start)); !item.empty()) {
      if (auto st = apply_item(item, out, seen, seen_stale); !st) {
        failed = st;
        return false;
      }
    }
    start = p + 1;
    return true;
  });
  if (!failed) return failed.error();
  if (!closed) return Error(errc::invalid_argument, "unterminated quote in digest");
  if (auto item = trim_lws(rest.substr(start)); !item.empty()) {
    if (auto st = apply_item(item, out, seen, seen_stale); !st) return st.error();
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
