#include "sip/ua/digest_hash.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/strings.hpp"

namespace portier::sip::ua {
namespace {

std::string to_hex(const unsigned char* data, unsigned int size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (unsigned int i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

std::string join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) {
    if (!out.empty()) out.push_back(':');
    out.append(p);
  }
  return out;
}

}  // namespace

std::string_view algorithm_name(DigestAlgorithm a) { return a == DigestAlgorithm::md5 ? "MD5" : "SHA-256"; }

std::optional<DigestAlgorithm> parse_algorithm(std::string_view name) {
  if (name.empty() || iequals(name, "MD5")) return DigestAlgorithm::md5;
  if (iequals(name, "SHA-256")) return DigestAlgorithm::sha256;
  return std::nullopt;
}

std::string hash_hex(DigestAlgorithm a, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  const EVP_MD* type = a == DigestAlgorithm::md5 ? EVP_md5() : EVP_sha256();
  if (EVP_Digest(data.data(), data.size(), md, &size, type, nullptr) != 1) return {};
  return to_hex(md, size);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), md, &size);
  return to_hex(md, size);
}

std::string digest_response(const DigestInput& in) {
  const auto ha1 = hash_hex(in.algorithm, join({in.username, in.realm, in.password}));
  const auto ha2 = hash_hex(in.algorithm, join({in.method, in.uri}));
  if (in.qop.empty()) return hash_hex(in.algorithm, join({ha1, in.nonce, ha2}));
  return hash_hex(in.algorithm, join({ha1, in.nonce, in.nc, in.cnonce, in.qop, ha2}));
}

}  // namespace portier::sip::ua
