#define OPENSSL_SUPPRESS_DEPRECATED  // MD5_*/SHA256_*: see HexHasher
#include "sip/ua/digest_hash.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

#include <initializer_list>

#include "base/strings.hpp"

namespace portier::sip::ua {
namespace {

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

// H(p1:p2:...:pn) in lowercase hex, hashing the parts in place instead of joining them into a string first. On
// OpenSSL's low-level MD5/SHA-256 states (plain structs on the stack, deprecated but not going away in 3.x): three
// hashes per verification through EVP cost a context allocation and a provider round trip each.
class HexHasher {
 public:
  explicit HexHasher(DigestAlgorithm a) : algorithm_(a) {}

  std::string operator()(std::initializer_list<std::string_view> parts) const {
    unsigned char md[SHA256_DIGEST_LENGTH];
    if (algorithm_ == DigestAlgorithm::md5) {
      MD5_CTX ctx;
      MD5_Init(&ctx);
      feed(parts, [&](const void* p, std::size_t n) { MD5_Update(&ctx, p, n); });
      MD5_Final(md, &ctx);
      return to_hex(md, MD5_DIGEST_LENGTH);
    }
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    feed(parts, [&](const void* p, std::size_t n) { SHA256_Update(&ctx, p, n); });
    SHA256_Final(md, &ctx);
    return to_hex(md, SHA256_DIGEST_LENGTH);
  }

 private:
  template <class Update>
  static void feed(std::initializer_list<std::string_view> parts, Update&& update) {
    bool first = true;
    for (auto p : parts) {
      if (!first) update(":", 1);
      update(p.data(), p.size());
      first = false;
    }
  }

  DigestAlgorithm algorithm_;
};

}  // namespace

std::string_view algorithm_name(DigestAlgorithm a) { return a == DigestAlgorithm::md5 ? "MD5" : "SHA-256"; }

std::optional<DigestAlgorithm> parse_algorithm(std::string_view name) {
  if (name.empty() || iequals(name, "MD5")) return DigestAlgorithm::md5;
  if (iequals(name, "SHA-256")) return DigestAlgorithm::sha256;
  return std::nullopt;
}

std::string hash_hex(DigestAlgorithm a, std::string_view data) { return HexHasher(a)({data}); }

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), md, &size);
  return to_hex(md, size);
}

std::string digest_response(const DigestInput& in) {
  const HexHasher h(in.algorithm);
  const auto ha1 = h({in.username, in.realm, in.password});
  const auto ha2 = h({in.method, in.uri});
  if (in.qop.empty()) return h({ha1, in.nonce, ha2});
  return h({ha1, in.nonce, in.nc, in.cnonce, in.qop, ha2});
}

}  // namespace portier::sip::ua
