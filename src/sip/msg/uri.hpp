#pragma once
// SIP/SIPS URIs (RFC 3261 §19.1) as views into the message buffer. Other schemes (tel:, urn:) keep their text
// in `opaque` so that name-addrs carrying them still parse.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace portier::sip::msg {

struct Uri {
  std::string_view scheme;    // as written; compare with iequals
  std::string_view user;      // escaped form, may be empty
  std::string_view password;
  std::string_view host;      // IPv6 references keep their brackets
  std::uint16_t port = 0;     // 0 when absent
  std::string_view params;    // ";transport=tcp;lr" including the leading ';', or empty
  std::string_view headers;   // text after '?', or empty
  std::string_view opaque;    // non-SIP schemes: everything after the ':'

  bool is_sip() const;        // sip: or sips:
  bool is_sips() const;
  std::optional<std::string_view> param(std::string_view name) const;
  // "sip:user@host:port" without parameters, for AOR comparisons (scheme, host lower-cased).
  std::string aor() const;
  std::string dump() const;
};

Result<Uri> parse_uri(std::string_view text);
// Host syntax: hostname, IPv4 address or bracketed IPv6 reference.
bool valid_host(std::string_view host);

}  // namespace portier::sip::msg
