#pragma once
// Authorization / WWW-Authenticate "Digest" parameter lists (RFC 7616 §3.3-3.4). Values are unescaped copies.
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace portier::sip::msg {

struct DigestParams {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;
  std::string response;
  std::string algorithm;  // as sent; empty means MD5
  std::string cnonce;
  std::string opaque;
  std::string qop;        // "auth" in credentials; may be a list in challenges
  std::string nc;         // 8 hex digits
  bool stale = false;

  std::string dump() const;  // no response/nonce values: safe for logs
};

inline constexpr std::size_t kMaxDigestValue = 1024;

// `value` is the whole header value, starting with the scheme. Schemes other than Digest, duplicate parameters,
// unterminated quotes and oversize values are errors; unknown parameters are ignored.
Result<DigestParams> parse_digest(std::string_view value);

// A quoted-string with '"' and '\' escaped.
std::string quote(std::string_view s);

}  // namespace portier::sip::msg
