// The low-level SHA256_* functions are deprecated in OpenSSL 3 in favour of EVP, but they are the only OpenSSL
// interface whose state is a plain struct that can be saved and restored by assignment; EVP_MD_CTX_copy_ex
// allocates. They run the same assembly (SHA extensions where the CPU has them).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "sip/ua/hmac_sha256.hpp"

#include <openssl/sha.h>

namespace portier::sip::ua {
namespace {

constexpr std::size_t kBlock = 64;  // SHA-256 block size

}  // namespace

struct HmacSha256::States {
  SHA256_CTX inner;
  SHA256_CTX outer;
};

HmacSha256::HmacSha256(std::string_view key) : states_(std::make_unique<States>()) {
  std::array<unsigned char, kBlock> block{};
  if (key.size() > kBlock) {
    SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), block.data());
  } else {
    for (std::size_t i = 0; i < key.size(); ++i) block[i] = static_cast<unsigned char>(key[i]);
  }
  std::array<unsigned char, kBlock> pad{};
  for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x36;
  SHA256_Init(&states_->inner);
  SHA256_Update(&states_->inner, pad.data(), pad.size());
  for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x5c;
  SHA256_Init(&states_->outer);
  SHA256_Update(&states_->outer, pad.data(), pad.size());
}

HmacSha256::~HmacSha256() = default;

std::array<unsigned char, HmacSha256::kSize> HmacSha256::mac(std::string_view data) const {
  std::array<unsigned char, kSize> inner{};
  std::array<unsigned char, kSize> out{};
  SHA256_CTX ctx = states_->inner;
  SHA256_Update(&ctx, data.data(), data.size());
  SHA256_Final(inner.data(), &ctx);
  ctx = states_->outer;
  SHA256_Update(&ctx, inner.data(), inner.size());
  SHA256_Final(out.data(), &ctx);
  return out;
}

void HmacSha256::hex_into(std::string_view data, char* out, std::size_t hex_digits) const {
  static constexpr char kDigits[] = "0123456789abcdef";
  const auto m = mac(data);
  if (hex_digits > 2 * kSize) hex_digits = 2 * kSize;
  for (std::size_t i = 0; i < hex_digits; ++i) out[i] = kDigits[i % 2 == 0 ? m[i / 2] >> 4 : m[i / 2] & 0xf];
}

std::string HmacSha256::hex(std::string_view data, std::size_t hex_digits) const {
  if (hex_digits > 2 * kSize) hex_digits = 2 * kSize;
  std::string out(hex_digits, '0');
  hex_into(data, out.data(), hex_digits);
  return out;
}

}  // namespace portier::sip::ua
