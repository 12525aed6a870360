#include "media/g711.hpp"

#include <array>

namespace portier::media {
namespace {

constexpr int kUlawBias = 0x84;   // 132: shifts the segments so that each starts at a power of two
constexpr int kUlawClip = 32635;  // largest magnitude that stays in range after the bias

constexpr std::int16_t decode_ulaw(std::uint8_t code) {
  const int u = static_cast<std::uint8_t>(~code);
  const int exponent = (u >> 4) & 0x07;
  const int mantissa = u & 0x0f;
  const int magnitude = (((mantissa << 3) + kUlawBias) << exponent) - kUlawBias;
  return static_cast<std::int16_t>((u & 0x80) ? -magnitude : magnitude);
}

constexpr std::int16_t decode_alaw(std::uint8_t code) {
  const int a = code ^ 0x55;
  const int exponent = (a >> 4) & 0x07;
  int magnitude = ((a & 0x0f) << 4) + 8;  // middle of the quantisation step
  if (exponent > 0) magnitude = (magnitude + 0x100) << (exponent - 1);
  return static_cast<std::int16_t>((a & 0x80) ? magnitude : -magnitude);
}

template <std::int16_t (*F)(std::uint8_t)>
constexpr std::array<std::int16_t, 256> make_table() {
  std::array<std::int16_t, 256> t{};
  for (int i = 0; i < 256; ++i) t[i] = F(static_cast<std::uint8_t>(i));
  return t;
}

constexpr auto kUlaw = make_table<decode_ulaw>();
constexpr auto kAlaw = make_table<decode_alaw>();

// Index of the highest set bit of v (v > 0).
constexpr int top_bit(int v) {
  int n = 0;
  while (v >>= 1) ++n;
  return n;
}

}  // namespace

std::uint8_t linear_to_ulaw(std::int16_t pcm) {
  int v = pcm;
  const int sign = v < 0 ? 0x80 : 0;
  if (v < 0) v = -v;
  if (v > kUlawClip) v = kUlawClip;
  v += kUlawBias;  // now 0x84..0x7fff: the exponent is the top bit's position above bit 7
  const int exponent = top_bit(v) - 7;
  const int mantissa = (v >> (exponent + 3)) & 0x0f;
  return static_cast<std::uint8_t>(~(sign | (exponent << 4) | mantissa));
}

std::int16_t ulaw_to_linear(std::uint8_t code) { return kUlaw[code]; }

std::uint8_t linear_to_alaw(std::int16_t pcm) {
  // A-law works on 13-bit magnitudes; the sign bit is set for positive values, then even bits are inverted.
  int v = pcm >> 3;
  int sign = 0x80;
  if (v < 0) {
    sign = 0;
    v = -v - 1;
  }
  int code;
  if (v < 32) {
    code = v >> 1;  // segment 0: linear, step 2 (in 13-bit units)
  } else {
    const int exponent = top_bit(v) - 4;  // 32..63 -> 1, ... 2048..4095 -> 7
    code = (exponent << 4) | ((v >> exponent) & 0x0f);
  }
  return static_cast<std::uint8_t>((sign | code) ^ 0x55);
}

std::int16_t alaw_to_linear(std::uint8_t code) { return kAlaw[code]; }

void g711_decode(G711Law law, std::span<const std::uint8_t> in, std::span<std::int16_t> out) {
  const auto& table = law == G711Law::ulaw ? kUlaw : kAlaw;
  for (std::size_t i = 0; i < in.size() && i < out.size(); ++i) out[i] = table[in[i]];
}

void g711_encode(G711Law law, std::span<const std::int16_t> in, std::span<std::uint8_t> out) {
  for (std::size_t i = 0; i < in.size() && i < out.size(); ++i) {
    out[i] = law == G711Law::ulaw ? linear_to_ulaw(in[i]) : linear_to_alaw(in[i]);
  }
}

namespace {

using CodeTable = std::array<std::uint8_t, 256>;

const CodeTable& ulaw_to_alaw_table() {
  static const CodeTable table = [] {
    CodeTable t{};
    for (int i = 0; i < 256; ++i) t[i] = linear_to_alaw(kUlaw[i]);
    return t;
  }();
  return table;
}

const CodeTable& alaw_to_ulaw_table() {
  static const CodeTable table = [] {
    CodeTable t{};
    for (int i = 0; i < 256; ++i) t[i] = linear_to_ulaw(kAlaw[i]);
    return t;
  }();
  return table;
}

}  // namespace

std::uint8_t ulaw_to_alaw(std::uint8_t code) { return ulaw_to_alaw_table()[code]; }
std::uint8_t alaw_to_ulaw(std::uint8_t code) { return alaw_to_ulaw_table()[code]; }

void g711_transcode(G711Law from, G711Law to, std::span<std::uint8_t> payload) {
  if (from == to) return;
  const auto& table = from == G711Law::ulaw ? ulaw_to_alaw_table() : alaw_to_ulaw_table();
  for (auto& b : payload) b = table[b];
}

std::optional<G711Law> g711_law_for_payload_type(int pt) {
  if (pt == 0) return G711Law::ulaw;
  if (pt == 8) return G711Law::alaw;
  return std::nullopt;
}

int payload_type_for(G711Law law) { return law == G711Law::ulaw ? 0 : 8; }

}  // namespace portier::media
