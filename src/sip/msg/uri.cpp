#include "sip/msg/uri.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "sip/msg/lexer.hpp"
#include "sip/msg/params.hpp"

namespace portier::sip::msg {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool is_mark_or_unreserved(char c) {
  if (is_alnum(c)) return true;
  switch (c) {
    case '-': case '_': case '.': case '!': case '~': case '*': case '\'': case '(': case ')':
      return true;
    default:
      return false;
  }
}

// user / password characters (RFC 3261 §25.1), "extra" being the extra unreserved set of each.
bool valid_escaped(std::string_view s, std::string_view extra) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 2;
      continue;
    }
    if (!is_mark_or_unreserved(c) && extra.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool valid_hostname(std::string_view h) {
  if (h.empty() || h.size() > 255) return false;
  if (h.front() == '.' || h.front() == '-') return false;
  for (char c : h) {
    if (!is_alnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

bool valid_ipv6_ref(std::string_view h) {
  if (h.size() < 4 || h.front() != '[' || h.back() != ']') return false;
  for (char c : h.substr(1, h.size() - 2)) {
    if (!is_hex(c) && c != ':' && c != '.') return false;
  }
  return h.find(':') != std::string_view::npos;
}

Status parse_hostport(std::string_view hp, Uri& uri) {
  std::string_view host = hp;
  std::string_view port;
  if (!hp.empty() && hp.front() == '[') {
    const auto close = hp.find(']');
    if (close == std::string_view::npos) return Error(errc::invalid_argument, "unterminated IPv6 reference");
    host = hp.substr(0, close + 1);
    auto rest = hp.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Error(errc::invalid_argument, "garbage after IPv6 reference");
      port = rest.substr(1);
      if (port.empty()) return Error(errc::invalid_argument, "empty port");
    }
  } else if (auto colon = hp.rfind(':'); colon != std::string_view::npos) {
    host = hp.substr(0, colon);
    port = hp.substr(colon + 1);
    if (port.empty()) return Error(errc::invalid_argument, "empty port");
  }
  if (!valid_host(host)) return Error(errc::invalid_argument, "bad host in URI");
  uri.host = host;
  if (!port.empty()) {
    auto p = parse_uint(port, 65535);
    if (!p || *p == 0) return Error(errc::invalid_argument, "bad port in URI");
    uri.port = static_cast<std::uint16_t>(*p);
  }
  return {};
}

}  // namespace

bool valid_host(std::string_view host) {
  if (!host.empty() && host.front() == '[') return valid_ipv6_ref(host);
  return valid_hostname(host);
}

bool Uri::is_sip() const { return iequals(scheme, "sip") || iequals(scheme, "sips"); }
bool Uri::is_sips() const { return iequals(scheme, "sips"); }

std::optional<std::string_view> Uri::param(std::string_view name) const { return find_param(params, name); }

std::string Uri::aor() const {
  std::string out = to_lower(scheme);
  out.push_back(':');
  if (!is_sip()) return out.append(opaque);
  if (!user.empty()) {
    out.append(user);
    out.push_back('@');
  }
  out += to_lower(host);
  if (port != 0) {
    out.push_back(':');
    out.append(std::to_string(port));
  }
  return out;
}

std::string Uri::dump() const {
  return "Uri{scheme=" + std::string(scheme) + " user=" + std::string(user) + " host=" + std::string(host) +
         " port=" + std::to_string(port) + " params=" + std::string(params) + "}";
}

Result<Uri> parse_uri(std::string_view text) {
  Uri uri;
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return Error(errc::invalid_argument, "URI without scheme");
  uri.scheme = text.substr(0, colon);
  for (char c : uri.scheme) {
    if (!is_alnum(c) && c != '+' && c != '-' && c != '.') return Error(errc::invalid_argument, "bad URI scheme");
  }
  auto rest = text.substr(colon + 1);
  if (!uri.is_sip()) {
    if (rest.empty()) return Error(errc::invalid_argument, "empty URI");
    for (char c : rest) {
      if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == '"' || c == 0x7f)
        return Error(errc::invalid_argument, "bad character in URI");
    }
    uri.opaque = rest;
    return uri;
  }
  if (const auto at = rest.find('@'); at != std::string_view::npos) {
    auto userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto pw = userinfo.find(':');
    uri.user = userinfo.substr(0, pw);
    if (pw != std::string_view::npos) uri.password = userinfo.substr(pw + 1);
    if (uri.user.empty()) return Error(errc::invalid_argument, "empty user in URI");
    if (!valid_escaped(uri.user, "&=+$,;?/") || !valid_escaped(uri.password, "&=+$,"))
      return Error(errc::invalid_argument, "bad character in URI user part");
  }
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    uri.headers = rest.substr(q + 1);
    rest = rest.substr(0, q);
    if (uri.headers.empty()) return Error(errc::invalid_argument, "empty URI headers");
  }
  const auto semi = rest.find(';');
  if (semi != std::string_view::npos) {
    uri.params = rest.substr(semi);
    rest = rest.substr(0, semi);
    if (!parse_params(uri.params)) return Error(errc::invalid_argument, "bad URI parameters");
  }
  if (auto st = parse_hostport(rest, uri); !st) return st.error();
  return uri;
}

}  // namespace portier::sip::msg
