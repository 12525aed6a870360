#pragma once
// Stateless nonces bound to the server secret: "<issued ms><sequence index><random><hmac>", all hex. Verifying
// needs no table, so a flood of unauthenticated REGISTERs costs no memory; replay protection (nonce counts) lives
// in NonceCounter, keyed by the index. The random part comes from the CSPRNG in blocks of kRandomPool bytes (one
// system call per 128 nonces instead of one per challenge).
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "sip/ua/hmac_sha256.hpp"

namespace portier::sip::ua {

class NonceFactory {
 public:
  enum class Check { valid, expired, forged };

  NonceFactory(std::string secret, const Clock& clock, std::chrono::seconds lifetime);
  std::string create();
  Check check(std::string_view nonce) const;
  // The sequence index of a nonce that passed check().
  static std::uint32_t index_of(std::string_view nonce);

 private:
  static constexpr std::size_t kRandomPool = 512;  // bytes drawn at a time

  // `digits` hex digits of fresh randomness from the pool.
  std::string_view random_digits(std::size_t digits);

  HmacSha256 hmac_;  // keyed with the server secret
  const Clock& clock_;
  std::chrono::seconds lifetime_;
  std::uint32_t next_index_;
  std::string random_pool_;  // hex digits from random_hex(), consumed from the front
  std::size_t random_used_ = 0;
};

}  // namespace portier::sip::ua
