#include "sip/msg/via.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "sip/msg/lexer.hpp"
#include "sip/msg/params.hpp"
#include "sip/msg/uri.hpp"

namespace portier::sip::msg {

std::string_view Via::branch() const { return find_param(params, "branch").value_or(std::string_view{}); }

bool Via::rfc3261_branch() const {
  const auto b = branch();
  return b.size() > kMagicCookie.size() && b.substr(0, kMagicCookie.size()) == kMagicCookie;
}

bool Via::has_rport() const { return find_param(params, "rport").has_value(); }

std::optional<std::string_view> Via::received() const { return find_param(params, "received"); }

std::string Via::dump() const {
  return "Via{" + std::string(transport) + " " + std::string(host) + ":" + std::to_string(port) + " " +
         std::string(params) + "}";
}

Result<Via> parse_via(std::string_view value) {
  auto v = trim_lws(value);
  Via via;
  const auto s1 = v.find('/');
  if (s1 == std::string_view::npos) return Error(errc::invalid_argument, "Via without protocol");
  const auto s2 = v.find('/', s1 + 1);
  if (s2 == std::string_view::npos) return Error(errc::invalid_argument, "Via without transport");
  const auto name = trim_lws(v.substr(0, s1));
  const auto version = trim_lws(v.substr(s1 + 1, s2 - s1 - 1));
  if (!is_token(name) || !is_token(version)) return Error(errc::invalid_argument, "bad Via protocol");
  if (!iequals(name, "SIP") || version != "2.0") return Error(errc::invalid_argument, "unsupported Via protocol");
  via.protocol = v.substr(0, s2);
  auto rest = trim_lws(v.substr(s2 + 1));
  std::size_t i = 0;
  while (i < rest.size() && !is_lws(rest[i])) ++i;
  via.transport = rest.substr(0, i);
  if (!is_token(via.transport)) return Error(errc::invalid_argument, "bad Via transport");
  rest = trim_lws(rest.substr(i));
  const auto semi = rest.find(';');
  auto sent_by = trim_lws(rest.substr(0, semi));
  // Reuse the URI host:port grammar for sent-by.
  std::string_view host = sent_by;
  if (const auto colon = sent_by.rfind(':'); colon != std::string_view::npos && sent_by.back() != ']') {
    auto port = parse_uint(trim_lws(sent_by.substr(colon + 1)), 65535);
    if (!port || *port == 0) return Error(errc::invalid_argument, "bad Via port");
    via.port = static_cast<std::uint16_t>(*port);
    host = trim_lws(sent_by.substr(0, colon));
  }
  if (!valid_host(host)) return Error(errc::invalid_argument, "bad Via host");
  via.host = host;
  if (semi != std::string_view::npos) {
    via.params = rest.substr(semi);
    ParamCursor params(via.params);
    Param p;
    while (params.next(p)) {
      if (iequals(p.name, "branch") && (!p.has_value || p.value.empty()))
        return Error(errc::invalid_argument, "empty Via branch");
    }
    if (!params.ok()) return Error(errc::invalid_argument, "bad Via parameters");
  }
  return via;
}

}  // namespace portier::sip::msg
