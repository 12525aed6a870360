#pragma once
// Known header names, their compact forms (RFC 3261 §7.3.3) and which of them may be comma-joined lists.
#include <cstdint>
#include <string_view>

namespace portier::sip::msg {

enum class HeaderId : std::uint8_t {
  other,
  via,
  from,
  to,
  call_id,
  cseq,
  contact,
  route,
  record_route,
  max_forwards,
  content_length,
  content_type,
  content_encoding,
  authorization,
  proxy_authorization,
  www_authenticate,
  proxy_authenticate,
  expires,
  min_expires,
  user_agent,
  server,
  allow,
  supported,
  require,
  proxy_require,
  unsupported,
  accept,
  subject,
  event,
  path,
  session_expires,
  min_se,
  retry_after,
};

// Id for a header name, long or compact form, case-insensitive.
HeaderId header_id(std::string_view name);
// Canonical long name ("Call-ID"); empty for HeaderId::other.
std::string_view header_name(HeaderId id);
// True for headers whose values may be joined with commas (RFC 3261 §7.3.1). Authorization-style headers are not.
bool is_list_header(HeaderId id);

}  // namespace portier::sip::msg
