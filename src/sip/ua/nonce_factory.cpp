#include "sip/ua/nonce_factory.hpp"

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

std::string_view NonceFactory::random_digits(std::size_t digits) {
  if (random_used_ + digits > random_pool_.size()) {
    random_pool_ = random_hex(kRandomPool);
    random_used_ = 0;
  }
  const auto out = std::string_view(random_pool_).substr(random_used_, digits);
  random_used_ += digits;  // every digit is handed out once
  return out;
}

std::string NonceFactory::create() {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string nonce(kTimeHex + kRandomHex + kMacHex, '0');
  auto ms = static_cast<std::uint64_t>(to_unix_ms(clock_.now()));
  for (std::size_t i = kTimeHex; i-- > 0; ms >>= 4) nonce[i] = kDigits[ms & 0xf];
  auto index = next_index_++;
  for (std::size_t i = kTimeHex + kIndexHex; i-- > kTimeHex; index >>= 4) nonce[i] = kDigits[index & 0xf];
  const auto random = random_digits(kRandomHex - kIndexHex);
  nonce.replace(kTimeHex + kIndexHex, random.size(), random);
  const auto body = std::string_view(nonce).substr(0, kTimeHex + kRandomHex);
  hmac_.hex_into(body, nonce.data() + body.size(), kMacHex);
  return nonce;
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
  char expected[kMacHex];
  hmac_.hex_into(body, expected, kMacHex);
  if (!constant_time_equal(std::string_view(expected, kMacHex), nonce.substr(kTimeHex + kRandomHex)))
    return Check::forged;
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
