#pragma once
// RTP fixed header (RFC 3550 §5.1) as a view over the datagram: parse_rtp() checks the header and finds the
// payload without copying; the set_* functions rewrite fields in place for the relay's hot path.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/result.hpp"
#include "rtp/bytes.hpp"

namespace portier::rtp {

inline constexpr std::size_t kRtpHeaderSize = 12;

struct RtpView {
  bool padding = false;
  bool extension = false;
  std::uint8_t csrc_count = 0;
  bool marker = false;
  std::uint8_t payload_type = 0;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::size_t header_size = kRtpHeaderSize;  // fixed header + CSRCs + extension
  Bytes payload;                             // without padding; points into the datagram
  std::string dump() const;
};

// errc::too_short, bad_version, bad_padding. An RTCP packet (payload type 72..95 with the marker bit, RFC 5761)
// parses as RTP too: demultiplex with is_rtcp() first when both share a port.
Result<RtpView> parse_rtp(Bytes datagram);

// RFC 5761 §4: on a multiplexed port, the second byte 192..223 marks RTCP.
bool is_rtcp(Bytes datagram);

struct RtpFields {
  bool marker = false;
  std::uint8_t payload_type = 0;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
};
// Writes a 12-byte header (version 2, no padding/extension/CSRC). `out` must hold kRtpHeaderSize bytes.
void write_rtp_header(MutableBytes out, const RtpFields& f);

// In-place rewrites; `packet` must be at least kRtpHeaderSize long (a parsed RTP datagram).
void set_payload_type(MutableBytes packet, std::uint8_t pt);  // keeps the marker bit
void set_marker(MutableBytes packet, bool marker);
void set_sequence(MutableBytes packet, std::uint16_t seq);
void set_timestamp(MutableBytes packet, std::uint32_t ts);
void set_ssrc(MutableBytes packet, std::uint32_t ssrc);

// Distance a - b on the 16-bit sequence circle, in -32768..32767 (positive: a is newer).
inline int sequence_delta(std::uint16_t a, std::uint16_t b) {
  return static_cast<std::int16_t>(static_cast<std::uint16_t>(a - b));
}

}  // namespace portier::rtp
