#include "webrtc/ice/ice_credentials.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "base/random.hpp"

namespace portier::webrtc {
namespace {

// random_token() is URL-safe base64 of CSPRNG bytes: each character is uniform over 64 symbols. Mapping '-' and '_'
// to '+' and '/' gives uniform ice-chars. 6 bytes -> 8 characters, 18 bytes -> 24 characters.
std::string ice_token(std::size_t bytes) {
  std::string s = random_token(bytes);
  for (char& c : s) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  return s;
}

}  // namespace

bool is_ice_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

IceCredentials IceCredentials::generate() { return IceCredentials{ice_token(6), ice_token(18)}; }

bool IceCredentials::valid() const {
  const auto all_ice = [](const std::string& s) { return std::all_of(s.begin(), s.end(), is_ice_char); };
  return ufrag.size() >= 4 && ufrag.size() <= 256 && pwd.size() >= 22 && pwd.size() <= 256 && all_ice(ufrag) &&
         all_ice(pwd);
}

std::string IceCredentials::dump() const { return "IceCredentials{ufrag=" + ufrag + "}"; }

std::array<std::uint8_t, 20> hmac_sha1(std::string_view key, std::span<const std::uint8_t> data) {
  std::array<std::uint8_t, 20> out{};
  unsigned int len = 0;
  // HMAC() fails only on allocation failure; the zero MAC then never matches a peer's.
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &len);
  return out;
}

}  // namespace portier::webrtc
