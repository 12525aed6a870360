// STUN parsing (RFC 5389 §6, §15) and the attribute accessors. Every read is bounds-checked against the span.
#include "webrtc/stun/stun_message.hpp"

#include <algorithm>
#include <cstdio>

namespace portier::webrtc::stun {
namespace {

std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }
std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

// Method bits M0..M11 and class bits C0, C1 are interleaved in the 14-bit type (RFC 5389 §6, figure 3).
std::uint16_t method_of(std::uint16_t type) {
  return static_cast<std::uint16_t>((type & 0x000F) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0F80));
}
Class class_of(std::uint16_t type) { return static_cast<Class>(((type >> 7) & 0x2) | ((type >> 4) & 0x1)); }

const char* attribute_name(std::uint16_t type) {
  switch (type) {
    case attr::mapped_address: return "MAPPED-ADDRESS";
    case attr::username: return "USERNAME";
    case attr::message_integrity: return "MESSAGE-INTEGRITY";
    case attr::error_code: return "ERROR-CODE";
    case attr::unknown_attributes: return "UNKNOWN-ATTRIBUTES";
    case attr::xor_mapped_address: return "XOR-MAPPED-ADDRESS";
    case attr::priority: return "PRIORITY";
    case attr::use_candidate: return "USE-CANDIDATE";
    case attr::fingerprint: return "FINGERPRINT";
    case attr::ice_controlled: return "ICE-CONTROLLED";
    case attr::ice_controlling: return "ICE-CONTROLLING";
    default: return nullptr;
  }
}

}  // namespace

std::string_view class_name(Class c) {
  switch (c) {
    case Class::request: return "request";
    case Class::indication: return "indication";
    case Class::success: return "success";
    case Class::error: return "error";
  }
  return "?";
}

bool looks_like_stun(std::span<const std::uint8_t> data) {
  if (data.size() < kHeaderSize) return false;
  if ((data[0] & 0xC0) != 0) return false;
  if (be32(data.data() + 4) != kMagicCookie) return false;
  return (be16(data.data() + 2) & 0x3) == 0;
}

Result<Message> parse(std::span<const std::uint8_t> data) {
  if (data.size() < kHeaderSize) return Result<Message>(errc::too_short);
  if ((data[0] & 0xC0) != 0 || be32(data.data() + 4) != kMagicCookie) return Result<Message>(errc::not_stun);
  const std::size_t length = be16(data.data() + 2);
  if ((length & 0x3) != 0 || length != data.size() - kHeaderSize) return Result<Message>(errc::bad_length);

  Message m;
  const std::uint16_t type = be16(data.data());
  m.method = method_of(type);
  m.cls = class_of(type);
  std::copy(data.begin() + 8, data.begin() + 20, m.transaction_id.begin());
  m.raw = data;

  bool after_integrity = false;
  std::size_t pos = kHeaderSize;
  while (pos < data.size()) {
    if (data.size() - pos < 4) return Result<Message>(errc::bad_attribute);
    const std::uint16_t atype = be16(data.data() + pos);
    const std::size_t alen = be16(data.data() + pos + 2);
    const std::size_t padded = (alen + 3) & ~std::size_t{3};
    if (data.size() - pos - 4 < padded) return Result<Message>(errc::bad_attribute);
    const Attribute a{atype, data.subspan(pos + 4, alen), pos};
    pos += 4 + padded;
    if (atype == attr::fingerprint) {
      if (alen != 4 || pos != data.size()) return Result<Message>(errc::bad_fingerprint);
      m.attributes.push_back(a);
      break;
    }
    if (after_integrity) continue;  // RFC 5389 §15.4: ignored
    if (atype == attr::message_integrity) {
      if (alen != 20) return Result<Message>(errc::bad_attribute);
      after_integrity = true;
    }
    m.attributes.push_back(a);
  }
  return m;
}

const Attribute* Message::find(std::uint16_t type) const {
  for (const auto& a : attributes)
    if (a.type == type) return &a;
  return nullptr;
}

bool Message::has(std::uint16_t type) const { return find(type) != nullptr; }

std::optional<std::string_view> Message::username() const {
  const auto* a = find(attr::username);
  if (!a) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(a->value.data()), a->value.size());
}

std::optional<std::uint32_t> Message::priority() const {
  const auto* a = find(attr::priority);
  if (!a || a->value.size() != 4) return std::nullopt;
  return be32(a->value.data());
}

std::optional<Address> Message::xor_mapped_address() const {
  const auto* a = find(attr::xor_mapped_address);
  if (!a || a->value.size() < 4) return std::nullopt;
  const auto v = a->value;
  Address out;
  out.port = static_cast<std::uint16_t>(be16(v.data() + 2) ^ (kMagicCookie >> 16));
  // The address is XORed with the cookie followed by the transaction id (§15.2).
  std::array<std::uint8_t, 16> mask{0x21, 0x12, 0xA4, 0x42};
  std::copy(transaction_id.begin(), transaction_id.end(), mask.begin() + 4);
  std::size_t n = 0;
  if (v[1] == 0x01 && v.size() == 8) {
    n = 4;
  } else if (v[1] == 0x02 && v.size() == 20) {
    n = 16;
    out.v6 = true;
  } else {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < n; ++i) out.bytes[i] = static_cast<std::uint8_t>(v[4 + i] ^ mask[i]);
  return out;
}

std::optional<int> Message::error_code() const {
  const auto* a = find(attr::error_code);
  if (!a || a->value.size() < 4) return std::nullopt;
  const int cls = a->value[2] & 0x07;
  const int number = a->value[3];
  if (cls < 3 || cls > 6 || number > 99) return std::nullopt;
  return cls * 100 + number;
}

std::optional<std::vector<std::uint8_t>> Message::integrity_input() const {
  const auto* a = find(attr::message_integrity);
  if (!a || a->offset < kHeaderSize || a->offset + 24 > raw.size()) return std::nullopt;
  std::vector<std::uint8_t> out(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(a->offset));
  const std::size_t length = a->offset + 24 - kHeaderSize;  // as if M-I were the last attribute
  out[2] = static_cast<std::uint8_t>(length >> 8);
  out[3] = static_cast<std::uint8_t>(length);
  return out;
}

bool fingerprint_ok(const Message& m) {
  if (m.attributes.empty()) return false;
  const auto& last = m.attributes.back();
  if (last.type != attr::fingerprint || last.value.size() != 4 || last.offset > m.raw.size()) return false;
  return (crc32(m.raw.first(last.offset)) ^ kFingerprintXor) == be32(last.value.data());
}

std::string Message::dump() const {
  std::string out = method == kBinding ? "Binding" : "method " + std::to_string(method);
  out += ' ';
  out += class_name(cls);
  out += " txid=";
  char hex[3];
  for (auto b : transaction_id) {
    std::snprintf(hex, sizeof hex, "%02x", b);
    out += hex;
  }
  out += " [";
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    if (i) out += ' ';
    const char* name = attribute_name(attributes[i].type);
    if (name) {
      out += name;
    } else {
      std::snprintf(hex, sizeof hex, "%02x", attributes[i].type >> 8);
      out += "0x";
      out += hex;
      std::snprintf(hex, sizeof hex, "%02x", attributes[i].type & 0xFF);
      out += hex;
    }
    out += '(' + std::to_string(attributes[i].value.size()) + ')';
  }
  if (auto u = username()) {
    out += " user=";
    for (char c : u->substr(0, 64)) out += (c >= 0x20 && c < 0x7F) ? c : '?';  // peer-controlled text in logs
  }
  if (auto e = error_code()) out += " error=" + std::to_string(*e);
  out += ']';
  return out;
}

}  // namespace portier::webrtc::stun
