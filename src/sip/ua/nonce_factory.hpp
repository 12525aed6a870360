#pragma once
// Stateless nonces bound to the server secret: "<issued ms><sequence index><random><hmac>", all hex. Verifying
// needs no table, so a flood of unauthenticated REGISTERs costs no memory; replay protection (nonce counts) lives
// in NonceCounter, keyed by the index.
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
  std::string mac(std::string_view body) const;

  HmacSha256 hmac_;  // keyed with the server secret
  const Clock& clock_;
  std::chrono::seconds lifetime_;
  std::uint32_t next_index_;
};

}  // namespace portier::sip::ua
