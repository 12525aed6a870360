#include "sip/ua/digest_hash.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <initializer_list>

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

// Algorithms fetched once: the implicit fetch behind EVP_md5()/EVP_sha256() costs a provider lookup per use.
const EVP_MD* md_of(DigestAlgorithm a) {
  static EVP_MD* md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  static EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return a == DigestAlgorithm::md5 ? md5 : sha256;
}

// H(p1:p2:...:pn) in lowercase hex, hashing the parts in place instead of joining them into a string first.
class HexHasher {
 public:
  explicit HexHasher(DigestAlgorithm a) : ctx_(EVP_MD_CTX_new()), md_(md_of(a)) {}
  ~HexHasher() { EVP_MD_CTX_free(ctx_); }
  HexHasher(const HexHasher&) = delete;
  HexHasher& operator=(const HexHasher&) = delete;

  std::string operator()(std::initializer_list<std::string_view> parts) {
    if (!ctx_ || !md_ || EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1) return {};
    bool first = true;
    for (auto p : parts) {
      if (!first) EVP_DigestUpdate(ctx_, ":", 1);
      EVP_DigestUpdate(ctx_, p.data(), p.size());
      first = false;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(ctx_, md, &size) != 1) return {};
    return to_hex(md, size);
  }

 private:
  EVP_MD_CTX* ctx_;
  const EVP_MD* md_;
};

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
  const EVP_MD* type = md_of(a);
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
  HexHasher h(in.algorithm);
  const auto ha1 = h({in.username, in.realm, in.password});
  const auto ha2 = h({in.method, in.uri});
  if (in.qop.empty()) return h({ha1, in.nonce, ha2});
  return h({ha1, in.nonce, in.nc, in.cnonce, in.qop, ha2});
}

}  // namespace portier::sip::ua
