#pragma once
// Stateless nonces bound to the server secret: "<issued ms, hex><random><hmac>". Verifying needs no table, so a
// flood of unauthenticated REGISTERs costs no memory; replay protection (nonce counts) lives in NonceCounter.
#include <chrono>
#include <string>
#include <string_view>

#include "base/clock.hpp"

namespace portier::sip::ua {

class NonceFactory {
 public:
  enum class Check { valid, expired, forged };

  NonceFactory(std::string secret, const Clock& clock, std::chrono::seconds lifetime);
  std::string create() const;
  Check check(std::string_view nonce) const;

 private:
  std::string mac(std::string_view body) const;

  std::string secret_;
  const Clock& clock_;
  std::chrono::seconds lifetime_;
};

}  // namespace portier::sip::ua
