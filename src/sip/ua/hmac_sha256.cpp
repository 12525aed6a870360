#include "sip/ua/hmac_sha256.hpp"

#include <stdexcept>

#include <openssl/evp.h>

namespace portier::sip::ua {
namespace {

constexpr std::size_t kBlock = 64;  // SHA-256 block size

const EVP_MD* sha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);  // fetched once, kept for the process
  return md;
}

}  // namespace

HmacSha256::HmacSha256(std::string_view key)
    : inner_(EVP_MD_CTX_new()), outer_(EVP_MD_CTX_new()), scratch_(EVP_MD_CTX_new()) {
  const EVP_MD* md = sha256();
  if (!md || !inner_ || !outer_ || !scratch_) throw std::runtime_error("HMAC-SHA256: OpenSSL initialisation failed");
  std::array<unsigned char, kBlock> block{};
  if (key.size() > kBlock) {
    unsigned int size = 0;
    EVP_Digest(key.data(), key.size(), block.data(), &size, md, nullptr);
  } else {
    for (std::size_t i = 0; i < key.size(); ++i) block[i] = static_cast<unsigned char>(key[i]);
  }
  std::array<unsigned char, kBlock> pad{};
  for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x36;
  EVP_DigestInit_ex2(inner_, md, nullptr);
  EVP_DigestUpdate(inner_, pad.data(), pad.size());
  for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x5c;
  EVP_DigestInit_ex2(outer_, md, nullptr);
  EVP_DigestUpdate(outer_, pad.data(), pad.size());
}

HmacSha256::~HmacSha256() {
  EVP_MD_CTX_free(inner_);
  EVP_MD_CTX_free(outer_);
  EVP_MD_CTX_free(scratch_);
}

std::array<unsigned char, HmacSha256::kSize> HmacSha256::mac(std::string_view data) const {
  std::array<unsigned char, kSize> inner{};
  std::array<unsigned char, kSize> out{};
  unsigned int size = 0;
  EVP_MD_CTX_copy_ex(scratch_, inner_);
  EVP_DigestUpdate(scratch_, data.data(), data.size());
  EVP_DigestFinal_ex(scratch_, inner.data(), &size);
  EVP_MD_CTX_copy_ex(scratch_, outer_);
  EVP_DigestUpdate(scratch_, inner.data(), inner.size());
  EVP_DigestFinal_ex(scratch_, out.data(), &size);
  return out;
}

std::string HmacSha256::hex(std::string_view data, std::size_t hex_digits) const {
  static constexpr char kDigits[] = "0123456789abcdef";
  const auto m = mac(data);
  if (hex_digits > 2 * kSize) hex_digits = 2 * kSize;
  std::string out(hex_digits, '0');
  for (std::size_t i = 0; i < hex_digits; ++i) out[i] = kDigits[i % 2 == 0 ? m[i / 2] >> 4 : m[i / 2] & 0xf];
  return out;
}

}  // namespace portier::sip::ua
