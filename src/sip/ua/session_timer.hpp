#pragma once
// RFC 4028 session timers: the Session-Expires/Min-SE values and the UAS/UAC negotiation. Pure functions over
// parsed messages; the CallLeg turns the outcome into a deadline (refresh at half the interval when we refresh,
// BYE shortly before expiry when the peer should have refreshed).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip/msg/message.hpp"

namespace portier::sip::ua {

enum class Refresher { unspecified, uac, uas };

struct SessionExpires {
  std::uint32_t seconds = 0;
  Refresher refresher = Refresher::unspecified;
};

inline constexpr std::uint32_t kMinSessionExpires = 90;  // RFC 4028 §4: Min-SE is never below 90 s

// "1800;refresher=uac" -> {1800, uac}; nullopt when malformed.
std::optional<SessionExpires> parse_session_expires(std::string_view value);
std::string format_session_expires(const SessionExpires& se);
// True when a list header (Supported, Require) holds the option tag `tag`.
bool has_option_tag(const msg::Message& m, msg::HeaderId id, std::string_view tag);

// What the UAS answers to a request that may carry Session-Expires (RFC 4028 §9).
struct UasSessionTimer {
  int reject_status = 0;               // 422 (interval below our minimum, answer with Min-SE: min_se); 0 = accept
  std::optional<SessionExpires> agreed;  // put into the 2xx as Session-Expires; nullopt: no session timer
  bool require_timer = false;          // the 2xx also carries Require: timer (the UAC supports it)
  bool we_refresh = false;             // refresher=uas: we refresh
};
UasSessionTimer negotiate_uas(const msg::Message& request, std::uint32_t min_se);

// What a UAC learns from the 2xx to its INVITE/UPDATE (RFC 4028 §7.2); nullopt: no session timer.
struct UacSessionTimer {
  std::uint32_t seconds = 0;
  bool we_refresh = false;
};
std::optional<UacSessionTimer> negotiate_uac(const msg::Message& response);

// When the refresher sends its refresh (half the interval), and when the other side gives up on a session that
// was not refreshed (RFC 4028 §10: the interval minus min(32 s, a third of it)).
std::chrono::seconds refresh_after(std::uint32_t interval);
std::chrono::seconds expire_after(std::uint32_t interval);

}  // namespace portier::sip::ua
