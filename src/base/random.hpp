#pragma once
// Secrets and identifiers from the operating system's CSPRNG (libsodium).
#include <cstddef>
#include <string>
#include <string_view>

namespace portier {

// `bytes` random bytes, URL-safe base64 without padding (32 bytes -> 43 chars).
std::string random_token(std::size_t bytes = 32);
// `bytes` random bytes as lowercase hex.
std::string random_hex(std::size_t bytes);
// Random UUID v4 text form.
std::string random_uuid();
// SHA-256 of the input as lowercase hex; used to store tokens at rest.
std::string sha256_hex(std::string_view data);
// Compare two strings in time that depends only on their length.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace portier
