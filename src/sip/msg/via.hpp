#pragma once
// One Via value (RFC 3261 §20.42) with the RFC 3581 rport/received parameters.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace portier::sip::msg {

inline constexpr std::string_view kMagicCookie = "z9hG4bK";

struct Via {
  std::string_view protocol;   // "SIP/2.0"
  std::string_view transport;  // "UDP", "TCP", "TLS", ...
  std::string_view host;
  std::uint16_t port = 0;      // 0 when absent
  std::string_view params;     // leading ';' included

  std::string_view branch() const;   // empty when absent
  bool rfc3261_branch() const;       // branch starts with the magic cookie
  bool has_rport() const;            // "rport" present, with or without a value
  std::optional<std::string_view> received() const;
  std::string dump() const;
};

Result<Via> parse_via(std::string_view value);

}  // namespace portier::sip::msg
