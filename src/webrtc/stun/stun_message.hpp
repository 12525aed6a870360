#pragma once
// STUN messages (RFC 5389 / RFC 8489) as views over a datagram: parse() checks the framing and lists the
// attributes without copying; MessageBuilder writes requests and responses. Pure: no sockets, no crypto library —
// MESSAGE-INTEGRITY's HMAC-SHA1 is computed by the caller (webrtc/ice), the FINGERPRINT CRC-32 here.
// A parsed Message does not own its bytes: it is valid while the datagram it was parsed from is.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "base/result.hpp"

namespace portier::webrtc::stun {

enum class errc {
  too_short = 1,    // fewer than 20 bytes
  not_stun,         // top bits set or no magic cookie
  bad_length,       // header length not a multiple of 4 or not the datagram's size
  bad_attribute,    // an attribute runs past the end
  bad_fingerprint,  // FINGERPRINT of the wrong size or not the last attribute
};
const std::error_category& error_category();
inline std::error_code make_error_code(errc e) { return {static_cast<int>(e), error_category()}; }

constexpr std::uint32_t kMagicCookie = 0x2112A442;
constexpr std::uint32_t kFingerprintXor = 0x5354554E;  // "STUN", RFC 5389 §15.5
constexpr std::size_t kHeaderSize = 20;
enum class Class : std::uint8_t { request, indication, success, error };
constexpr std::uint16_t kBinding = 0x001;

namespace attr {
constexpr std::uint16_t mapped_address = 0x0001, username = 0x0006, message_integrity = 0x0008,
                        error_code = 0x0009, unknown_attributes = 0x000A, xor_mapped_address = 0x0020,
                        priority = 0x0024, use_candidate = 0x0025, fingerprint = 0x8028, ice_controlled = 0x8029,
                        ice_controlling = 0x802A;
}  // namespace attr

struct Address {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 in bytes[0..3]
  std::uint16_t port = 0;
  friend bool operator==(const Address&, const Address&) = default;
};

struct Attribute {
  std::uint16_t type = 0;
  std::span<const std::uint8_t> value;  // without padding
  std::size_t offset = 0;               // of its TLV header within Message::raw
};

struct Message {
  std::uint16_t method = 0;
  Class cls = Class::request;
  std::array<std::uint8_t, 12> transaction_id{};
  std::vector<Attribute> attributes;  // views into the parsed buffer, in order
  std::span<const std::uint8_t> raw;  // the whole message

  const Attribute* find(std::uint16_t type) const;  // the first of that type
  std::optional<std::string_view> username() const;
  std::optional<std::uint32_t> priority() const;
  bool has(std::uint16_t type) const;
  std::optional<Address> xor_mapped_address() const;
  std::optional<int> error_code() const;  // 300..699
  // The bytes MESSAGE-INTEGRITY covers (header with the length patched to end after M-I, attributes before it);
  // nullopt without M-I.
  std::optional<std::vector<std::uint8_t>> integrity_input() const;
  std::string dump() const;
};

// First two bits 0, the magic cookie, a length that is a multiple of 4 (RFC 7983 §7 uses this to tell STUN apart).
bool looks_like_stun(std::span<const std::uint8_t> data);
// A whole datagram as one STUN message. Never throws, never reads out of bounds. Attributes after
// MESSAGE-INTEGRITY other than FINGERPRINT are dropped (RFC 5389 §15.4: they must be ignored).
Result<Message> parse(std::span<const std::uint8_t> data);
// CRC-32 (IEEE 802.3, reflected, as zlib), hand-written.
std::uint32_t crc32(std::span<const std::uint8_t> data);
// True when there is a FINGERPRINT and it matches.
bool fingerprint_ok(const Message& m);
// "Binding request", "Binding success" ...
std::string_view class_name(Class c);

using HmacSha1 = std::function<std::array<std::uint8_t, 20>(std::span<const std::uint8_t>)>;

// Builds one message; attributes are padded to 4 bytes with zeros. Owns its buffer until finish() hands it out.
class MessageBuilder {
 public:
  MessageBuilder(std::uint16_t method, Class cls, const std::array<std::uint8_t, 12>& txid);
  MessageBuilder& add(std::uint16_t type, std::span<const std::uint8_t> value);
  MessageBuilder& add_string(std::uint16_t type, std::string_view value);
  MessageBuilder& add_u32(std::uint16_t type, std::uint32_t value);
  MessageBuilder& add_u64(std::uint16_t type, std::uint64_t value);
  MessageBuilder& add_xor_mapped_address(const Address& a);
  MessageBuilder& add_error_code(int code, std::string_view reason);  // 300..699
  MessageBuilder& add_unknown_attributes(std::span<const std::uint16_t> types);
  // Appends MESSAGE-INTEGRITY (computed by `hmac_sha1`, given the covered bytes, when set) then FINGERPRINT (when
  // `fingerprint`), fixing the header length each time. The builder is empty afterwards.
  std::vector<std::uint8_t> finish(const HmacSha1& hmac_sha1, bool fingerprint = true);
  std::string dump() const;

 private:
  void set_length(std::size_t body);
  std::array<std::uint8_t, 12> txid_;
  std::vector<std::uint8_t> buf_;  // header + attributes so far
};

}  // namespace portier::webrtc::stun

template <>
struct std::is_error_code_enum<portier::webrtc::stun::errc> : std::true_type {};
