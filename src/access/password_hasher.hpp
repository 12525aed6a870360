#pragma once
// Argon2id password hashing (libsodium). The cost is configurable so tests can run fast; production keeps
// libsodium's interactive limits or more.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace portier::access {

class PasswordHasher {
 public:
  PasswordHasher(std::uint64_t opslimit, std::uint64_t memlimit_bytes);
  Result<std::string> hash(std::string_view password) const;
  bool verify(std::string_view hash, std::string_view password) const;
  // A valid hash of a random password, to verify against when the user does not exist so that unknown users cost
  // as much time as wrong passwords. Made on first use: hashing at start-up would cost every start ~0.1-0.3 s and
  // the argon2 memory.
  const std::string& dummy_hash() const;

 private:
  std::uint64_t opslimit_;
  std::uint64_t memlimit_;
  mutable std::string dummy_;
};

// Password rules: 10..256 bytes. Returns an error message, or empty when acceptable.
std::string check_password_policy(std::string_view password);

}  // namespace portier::access
