#pragma once
// A person who can log in: an admin manages Portier, a resident opens the doors they are allowed to.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.hpp"

namespace portier::access {

enum class Role { admin, resident };

std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view text);

struct User {
  std::int64_t id = 0;
  std::string name;
  Role role = Role::resident;
  std::string password_hash;  // argon2id string (libsodium crypto_pwhash_str format)
  Clock::SystemTime created_at{};
};

// Usernames: 1..64 characters from [A-Za-z0-9._@-]; keeps them safe in URLs, logs and SIP user parts.
bool valid_username(std::string_view name);

}  // namespace portier::access
