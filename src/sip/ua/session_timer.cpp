#include "sip/ua/session_timer.hpp"

#include <algorithm>

#include "base/strings.hpp"
#include "sip/msg/lexer.hpp"
#include "sip/msg/params.hpp"

namespace portier::sip::ua {

std::optional<SessionExpires> parse_session_expires(std::string_view value) {
  value = msg::trim_lws(value);
  const auto semi = value.find(';');
  auto seconds = msg::parse_uint(msg::trim_lws(value.substr(0, semi)), 0x7fffffffu);
  if (!seconds) return std::nullopt;
  SessionExpires out{*seconds, Refresher::unspecified};
  if (semi != std::string_view::npos) {
    const auto params = value.substr(semi);
    if (!msg::parse_params(params)) return std::nullopt;
    if (auto r = msg::find_param(params, "refresher")) {
      if (iequals(*r, "uac")) out.refresher = Refresher::uac;
      else if (iequals(*r, "uas")) out.refresher = Refresher::uas;
    }
  }
  return out;
}

std::string format_session_expires(const SessionExpires& se) {
  std::string out = std::to_string(se.seconds);
  if (se.refresher == Refresher::uac) out += ";refresher=uac";
  if (se.refresher == Refresher::uas) out += ";refresher=uas";
  return out;
}

bool has_option_tag(const msg::Message& m, msg::HeaderId id, std::string_view tag) {
  auto values = m.values(id);
  if (!values) return false;
  for (auto v : *values) {
    if (iequals(msg::trim_lws(v), tag)) return true;
  }
  return false;
}

UasSessionTimer negotiate_uas(const msg::Message& request, std::uint32_t min_se) {
  UasSessionTimer out;
  if (!request.has(msg::HeaderId::session_expires)) return out;
  auto se = parse_session_expires(request.header(msg::HeaderId::session_expires));
  if (!se) return out;  // a malformed value is ignored rather than failing the call
  min_se = std::max(min_se, kMinSessionExpires);
  if (se->seconds < min_se) {
    out.reject_status = 422;
    return out;
  }
  const bool uac_supports = has_option_tag(request, msg::HeaderId::supported, "timer") ||
                            has_option_tag(request, msg::HeaderId::require, "timer");
  SessionExpires agreed{se->seconds, se->refresher};
  // A UAC without timer support cannot refresh; one that supports it and left the choice to us refreshes itself,
  // which costs us nothing.
  if (!uac_supports) agreed.refresher = Refresher::uas;
  else if (agreed.refresher == Refresher::unspecified) agreed.refresher = Refresher::uac;
  out.agreed = agreed;
  out.require_timer = uac_supports;
  out.we_refresh = agreed.refresher == Refresher::uas;
  return out;
}

std::optional<UacSessionTimer> negotiate_uac(const msg::Message& response) {
  if (!response.has(msg::HeaderId::session_expires)) return std::nullopt;
  auto se = parse_session_expires(response.header(msg::HeaderId::session_expires));
  if (!se || se->seconds == 0) return std::nullopt;
  // Without a refresher in the answer the UAC refreshes (RFC 4028 §7.2).
  return UacSessionTimer{se->seconds, se->refresher != Refresher::uas};
}

std::chrono::seconds refresh_after(std::uint32_t interval) { return std::chrono::seconds(interval / 2); }

std::chrono::seconds expire_after(std::uint32_t interval) {
  return std::chrono::seconds(interval - std::min<std::uint32_t>(32, interval / 3));
}

}  // namespace portier::sip::ua
