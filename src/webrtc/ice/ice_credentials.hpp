#pragma once
// Short-term ICE credentials (RFC 8445 §5.3, RFC 8839 §5.4: ice-ufrag 4..256 and ice-pwd 22..256 ice-chars) and the
// HMAC-SHA1 that keys STUN MESSAGE-INTEGRITY with the password.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace portier::webrtc {

struct IceCredentials {
  std::string ufrag;  // 8 ice-chars
  std::string pwd;    // 24 ice-chars (144 bits of entropy)
  // From the operating system's CSPRNG (base/random.hpp).
  static IceCredentials generate();
  // Lengths and characters as RFC 8839 allows for a peer's a=ice-ufrag / a=ice-pwd.
  bool valid() const;
  std::string dump() const;  // the ufrag only: the password is a secret
};

// ALPHA / DIGIT / "+" / "/".
bool is_ice_char(char c);

// HMAC-SHA1 (OpenSSL). For short-term credentials the key is the password itself (ice-chars need no SASLprep).
std::array<std::uint8_t, 20> hmac_sha1(std::string_view key, std::span<const std::uint8_t> data);

}  // namespace portier::webrtc
