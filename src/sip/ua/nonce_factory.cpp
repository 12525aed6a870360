#include "sip/ua/nonce_factory.hpp"

#include <cstdio>

#include "base/random.hpp"

namespace portier::sip::ua {
namespace {

constexpr std::size_t kTimeHex = 16;
constexpr std::size_t kIndexHex = 8;
constexpr std::size_t kRandomHex = 16;  // index + random part
constexpr std::size_t kMacHex = 32;

}  // namespace

NonceFactory::NonceFactory(std::string secret, const Clock& clock, std::chrono::seconds lifetime)
    : hmac_(secret),
      clock_(clock),
      lifetime_(lifetime),
      // A random start keeps indexes of a restarted server from colliding with those it issued before.
      next_index_(static_cast<std::uint32_t>(std::stoul(random_hex(4), nullptr, 16))) {}

std::string NonceFactory::mac(std::string_view body) const {
  return hmac_.hex(body, kMacHex);
}

std::string NonceFactory::create() {
  char head[kTimeHex + kIndexHex + 1];
  std::snprintf(head, sizeof head, "%016llx%08x", static_cast<unsigned long long>(to_unix_ms(clock_.now())),
                static_cast<unsigned>(next_index_++));
  std::string body(head);
  body.append(random_hex((kRandomHex - kIndexHex) / 2));
  return body + mac(body);
}

std::uint32_t NonceFactory::index_of(std::string_view nonce) {
  std::uint32_t v = 0;
  for (char c : nonce.substr(kTimeHex, kIndexHex)) {
    v = v * 16 + static_cast<std::uint32_t>(c >= 'a' ? c - 'a' + 10 : c - '0');
  }
  return v;
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
