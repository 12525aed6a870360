#pragma once
// G.711 μ-law and A-law (ITU-T G.711), written from the standard's segment/mantissa definition. Decoding is a
// compile-time table lookup; encoding a few shifts. 16-bit linear PCM in and out.
#include <cstdint>
#include <optional>
#include <span>

namespace portier::media {

enum class G711Law { ulaw, alaw };

std::uint8_t linear_to_ulaw(std::int16_t pcm);
std::int16_t ulaw_to_linear(std::uint8_t code);
std::uint8_t linear_to_alaw(std::int16_t pcm);
std::int16_t alaw_to_linear(std::uint8_t code);

// Whole frames: `out` must be as long as `in`.
void g711_decode(G711Law law, std::span<const std::uint8_t> in, std::span<std::int16_t> out);
void g711_encode(G711Law law, std::span<const std::int16_t> in, std::span<std::uint8_t> out);

// One law's code to the other's (through the linear value; two 256-byte tables built on first use). The relay uses
// this when its legs negotiated different laws: per sample, no decoding to PCM buffers.
std::uint8_t ulaw_to_alaw(std::uint8_t code);
std::uint8_t alaw_to_ulaw(std::uint8_t code);
// Rewrites a G.711 payload from `from` to `to` in place (nothing to do when they are equal).
void g711_transcode(G711Law from, G711Law to, std::span<std::uint8_t> payload);

// The static payload types: 0 = PCMU, 8 = PCMA.
std::optional<G711Law> g711_law_for_payload_type(int payload_type);
int payload_type_for(G711Law law);

}  // namespace portier::media
