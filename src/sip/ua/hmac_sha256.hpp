#pragma once
// HMAC-SHA256 (RFC 2104) under one fixed key, for the nonce MAC computed on every challenge and every
// authenticated request. The keyed inner and outer hash states are computed once and kept as plain SHA-256
// states, so each MAC costs two struct copies and two compression rounds: no EVP context duplication (an
// allocation, a provider call and a cleanse per copy) and no hashing of the padded key per call. Each call works
// on its own stack copies, so one instance may be used from several threads.
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace portier::sip::ua {

class HmacSha256 {
 public:
  static constexpr std::size_t kSize = 32;

  explicit HmacSha256(std::string_view key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  std::array<unsigned char, kSize> mac(std::string_view data) const;
  // Lowercase hex of the first `hex_digits` digits (all 64 by default).
  std::string hex(std::string_view data, std::size_t hex_digits = 2 * kSize) const;
  // The same digits written to `out` (which must hold `hex_digits` chars; at most 64 are written).
  void hex_into(std::string_view data, char* out, std::size_t hex_digits) const;

 private:
  struct States;                    // SHA-256 after absorbing key ^ ipad and key ^ opad (OpenSSL's SHA256_CTX)
  std::unique_ptr<States> states_;  // owned; kept out of the header so that it needs no OpenSSL include
};

}  // namespace portier::sip::ua
