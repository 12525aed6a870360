// CRC-32 as used by STUN FINGERPRINT (RFC 5389 §15.5 refers to ITU-T V.42 / IEEE 802.3): reflected polynomial
// 0xEDB88320, initial value and final XOR 0xFFFFFFFF. Table-driven, the table built at compile time.
#include <array>

#include "webrtc/stun/stun_message.hpp"

namespace portier::webrtc::stun {
namespace {

constexpr std::array<std::uint32_t, 256> make_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? (0xEDB88320u ^ (c >> 1)) : (c >> 1);
    t[i] = c;
  }
  return t;
}

constexpr auto kTable = make_table();

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> data) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::uint8_t b : data) c = kTable[(c ^ b) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

}  // namespace portier::webrtc::stun
