#include "sip/ua/nonce_factory.hpp"

#include <cstdio>

#include "base/random.hpp"
#include "sip/ua/digest_hash.hpp"

namespace portier::sip::ua {
namespace {

constexpr std::size_t kTimeHex = 16;
constexpr std::size_t kRandomHex = 16;
constexpr std::size_t kMacHex = 32;

}  // namespace

NonceFactory::NonceFactory(std::string secret, const Clock& clock, std::chrono::seconds lifetime)
    : secret_(std::move(secret)), clock_(clock), lifetime_(lifetime) {}

std::string NonceFactory::mac(std::string_view body) const {
  return hmac_sha256_hex(secret_, body).substr(0, kMacHex);
}

std::string NonceFactory::create() const {
  char time_hex[kTimeHex + 1];
  std::snprintf(time_hex, sizeof time_hex, "%016llx", static_cast<unsigned long long>(to_unix_ms(clock_.now())));
  std::string body = std::string(time_hex) + random_hex(kRandomHex / 2);
  return body + mac(body);
}

NonceFactory::Check NonceFactory::check(std::string_view nonce) const {
  if (nonce.size() != kTimeHex + kRandomHex + kMacHex) return Check::forged;
  const auto body = nonce.substr(0, kTimeHex + kRandomHex);
  if (!constant_time_equal(mac(body), nonce.substr(kTimeHex + kRandomHex))) return Check::forged;
  unsigned long long issued = 0;
  for (char c : nonce.substr(0, kTimeHex)) {
    const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0) return Check::forged;
    issued = issued * 16 + static_cast<unsigned>(v);
  }
  const auto now = to_unix_ms(clock_.now());
  const auto age = now - static_cast<long long>(issued);
  if (age < -5000 || age > std::chrono::duration_cast<std::chrono::milliseconds>(lifetime_).count())
    return Check::expired;
  return Check::valid;
}

}  // namespace portier::sip::ua
