#pragma once
// RFC 7983 §7 demultiplexing of one UDP port shared by STUN, DTLS, RTP and RTCP (RTCP by RFC 5761 §4 in an
// rtcp-mux stream). Pure: looks at the first two bytes (and the STUN header) only.
#include <cstdint>
#include <span>
#include <string_view>

namespace portier::webrtc::stun {

enum class PacketKind { stun, dtls, rtp, rtcp, unknown };

// First byte 0..3: STUN when looks_like_stun(); 20..63: DTLS (at least a 13-byte record header); 128..191: RTP
// (at least 12 bytes), or RTCP (at least 8 bytes) when byte 1 is 192..223. Everything else — ZRTP 16..19, TURN
// channels 64..79, short or empty datagrams — is unknown and should be dropped (and counted) by the caller.
PacketKind classify(std::span<const std::uint8_t> data);
std::string_view to_string(PacketKind k);

}  // namespace portier::webrtc::stun
