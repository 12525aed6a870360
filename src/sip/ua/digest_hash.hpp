#pragma once
// RFC 7616 digest computations (MD5 and SHA-256, qop=auth or none) over OpenSSL.
#include <optional>
#include <string>
#include <string_view>

namespace portier::sip::ua {

enum class DigestAlgorithm { md5, sha256 };

std::string_view algorithm_name(DigestAlgorithm a);                     // "MD5", "SHA-256"
std::optional<DigestAlgorithm> parse_algorithm(std::string_view name);  // empty means MD5
std::string hash_hex(DigestAlgorithm a, std::string_view data);
// HMAC-SHA256 of `data` under `key`, lowercase hex.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

struct DigestInput {
  DigestAlgorithm algorithm = DigestAlgorithm::md5;
  std::string_view username, realm, password, method, uri, nonce;
  std::string_view qop, nc, cnonce;  // qop empty: RFC 2069 compatibility form
};

// The expected "response" value.
std::string digest_response(const DigestInput& in);

}  // namespace portier::sip::ua
