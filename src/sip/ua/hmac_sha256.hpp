#pragma once
// HMAC-SHA256 (RFC 2104) under one fixed key, for the nonce MAC computed on every challenge and every
// authenticated request. The keyed inner and outer hash states are computed once, so each MAC costs two
// context copies and the hashing of the data, instead of OpenSSL's one-shot HMAC() that looks up the
// algorithm, allocates a MAC context and hashes the padded key again on every call. Not thread-safe (one
// scratch context); the SipServer runs on one io_context thread.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

typedef struct evp_md_ctx_st EVP_MD_CTX;

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

 private:
  EVP_MD_CTX* inner_;    // SHA-256 after absorbing key ^ ipad
  EVP_MD_CTX* outer_;    // SHA-256 after absorbing key ^ opad
  EVP_MD_CTX* scratch_;  // copied into for each MAC
};

}  // namespace portier::sip::ua
