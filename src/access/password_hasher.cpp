#include "access/password_hasher.hpp"

#include <sodium.h>

#include <stdexcept>

#include "base/error.hpp"
#include "base/random.hpp"

namespace portier::access {

PasswordHasher::PasswordHasher(std::uint64_t opslimit, std::uint64_t memlimit_bytes)
    : opslimit_(opslimit), memlimit_(memlimit_bytes) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

const std::string& PasswordHasher::dummy_hash() const {
  if (dummy_.empty()) {
    auto h = hash(random_token(24));
    // Out of memory: fall back to a well-formed hash that no password matches; the timing hides less then.
    dummy_ = h ? std::move(*h) : std::string("$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  }
  return dummy_;
}

Result<std::string> PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), opslimit_, static_cast<size_t>(memlimit_),
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error(errc::internal, "argon2id: out of memory");
  }
  return std::string(out);
}

bool PasswordHasher::verify(std::string_view hash, std::string_view password) const {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(hash);  // needs a NUL-terminated string
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string check_password_policy(std::string_view password) {
  if (password.size() < 10) return "password must be at least 10 characters";
  if (password.size() > 256) return "password must be at most 256 characters";
  return {};
}

}  // namespace portier::access
