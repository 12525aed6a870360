// MessageBuilder: writes the header, then attributes TLV by TLV; finish() appends MESSAGE-INTEGRITY and FINGERPRINT
// with the header length patched before each is computed (RFC 5389 §15.4, §15.5).
#include <algorithm>

#include "webrtc/stun/stun_message.hpp"

namespace portier::webrtc::stun {
namespace {

void put16(std::vector<std::uint8_t>& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void put32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  put16(b, static_cast<std::uint16_t>(v >> 16));
  put16(b, static_cast<std::uint16_t>(v));
}

}  // namespace

MessageBuilder::MessageBuilder(std::uint16_t method, Class cls, const std::array<std::uint8_t, 12>& txid)
    : txid_(txid) {
  const auto c = static_cast<std::uint16_t>(cls);
  const auto m = static_cast<std::uint16_t>(method & 0x0FFF);
  const auto type = static_cast<std::uint16_t>((m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) |
                                               ((c & 0x1) << 4) | ((c & 0x2) << 7));
  buf_.reserve(128);
  put16(buf_, type);
  put16(buf_, 0);
  put32(buf_, kMagicCookie);
  buf_.insert(buf_.end(), txid.begin(), txid.end());
}

void MessageBuilder::set_length(std::size_t body) {
  buf_[2] = static_cast<std::uint8_t>(body >> 8);
  buf_[3] = static_cast<std::uint8_t>(body);
}

MessageBuilder& MessageBuilder::add(std::uint16_t type, std::span<const std::uint8_t> value) {
  const std::size_t len = std::min<std::size_t>(value.size(), 0xFFFF - 3);  // the length field is 16 bits
  put16(buf_, type);
  put16(buf_, static_cast<std::uint16_t>(len));
  buf_.insert(buf_.end(), value.begin(), value.begin() + static_cast<std::ptrdiff_t>(len));
  buf_.resize(buf_.size() + ((4 - len % 4) % 4), 0);
  set_length(buf_.size() - kHeaderSize);
  return *this;
}

MessageBuilder& MessageBuilder::add_string(std::uint16_t type, std::string_view value) {
  return add(type, std::span(reinterpret_cast<const std::uint8_t*>(value.data()), value.size()));
}

MessageBuilder& MessageBuilder::add_u32(std::uint16_t type, std::uint32_t value) {
  const std::array<std::uint8_t, 4> v{static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
                                      static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
  return add(type, v);
}

MessageBuilder& MessageBuilder::add_u64(std::uint16_t type, std::uint64_t value) {
  std::array<std::uint8_t, 8> v{};
  for (int i = 0; i < 8; ++i) v[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value >> (56 - 8 * i));
  return add(type, v);
}

MessageBuilder& MessageBuilder::add_xor_mapped_address(const Address& a) {
  std::array<std::uint8_t, 16> mask{0x21, 0x12, 0xA4, 0x42};
  std::copy(txid_.begin(), txid_.end(), mask.begin() + 4);
  std::vector<std::uint8_t> v{0, static_cast<std::uint8_t>(a.v6 ? 0x02 : 0x01)};
  put16(v, static_cast<std::uint16_t>(a.port ^ (kMagicCookie >> 16)));
  const std::size_t n = a.v6 ? 16 : 4;
  for (std::size_t i = 0; i < n; ++i) v.push_back(static_cast<std::uint8_t>(a.bytes[i] ^ mask[i]));
  return add(attr::xor_mapped_address, v);
}

MessageBuilder& MessageBuilder::add_error_code(int code, std::string_view reason) {
  code = std::clamp(code, 300, 699);
  std::vector<std::uint8_t> v{0, 0, static_cast<std::uint8_t>(code / 100), static_cast<std::uint8_t>(code % 100)};
  v.insert(v.end(), reason.begin(), reason.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(reason.size(), 127)));
  return add(attr::error_code, v);
}

MessageBuilder& MessageBuilder::add_unknown_attributes(std::span<const std::uint16_t> types) {
  std::vector<std::uint8_t> v;
  for (auto t : types) put16(v, t);
  return add(attr::unknown_attributes, v);
}

std::vector<std::uint8_t> MessageBuilder::finish(const HmacSha1& hmac_sha1, bool fingerprint) {
  if (hmac_sha1) {
    set_length(buf_.size() - kHeaderSize + 24);
    const auto mac = hmac_sha1(buf_);
    put16(buf_, attr::message_integrity);
    put16(buf_, 20);
    buf_.insert(buf_.end(), mac.begin(), mac.end());
  }
  if (fingerprint) {
    set_length(buf_.size() - kHeaderSize + 8);
    const std::uint32_t fp = crc32(buf_) ^ kFingerprintXor;
    put16(buf_, attr::fingerprint);
    put16(buf_, 4);
    put32(buf_, fp);
  }
  set_length(buf_.size() - kHeaderSize);
  return std::move(buf_);
}

std::string MessageBuilder::dump() const {
  return "MessageBuilder{" + std::to_string(buf_.size()) + " bytes}";
}

}  // namespace portier::webrtc::stun
