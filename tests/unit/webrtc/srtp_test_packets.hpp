#pragma once
// Plain RTP and RTCP packets for the SRTP tests, in buffers with room for the SRTP trailer.
#include <cstdint>
#include <vector>

#include "webrtc/srtp/srtp_session.hpp"

namespace portier::webrtc::test {

// PCMU packet: 12-byte header + 160 bytes of payload, followed by kMaxTrailer spare bytes (size() - kMaxTrailer
// is the packet length).
inline std::vector<std::uint8_t> rtp_packet(std::uint16_t seq, std::uint32_t ssrc = 0x11223344) {
  std::vector<std::uint8_t> p = {0x80, 0x00, static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq),
                                 0, 0, static_cast<std::uint8_t>(seq >> 4), static_cast<std::uint8_t>(seq << 4),
                                 static_cast<std::uint8_t>(ssrc >> 24), static_cast<std::uint8_t>(ssrc >> 16),
                                 static_cast<std::uint8_t>(ssrc >> 8), static_cast<std::uint8_t>(ssrc)};
  for (int i = 0; i < 160; ++i) p.push_back(static_cast<std::uint8_t>(i * 7 + seq));
  p.resize(p.size() + SrtpSession::kMaxTrailer);
  return p;
}
inline constexpr std::size_t kRtpSize = 12 + 160;

// Sender report without report blocks (28 bytes) + trailer room.
inline std::vector<std::uint8_t> rtcp_packet(std::uint32_t ssrc = 0x11223344) {
  std::vector<std::uint8_t> p = {0x80, 200, 0, 6, static_cast<std::uint8_t>(ssrc >> 24),
                                 static_cast<std::uint8_t>(ssrc >> 16), static_cast<std::uint8_t>(ssrc >> 8),
                                 static_cast<std::uint8_t>(ssrc)};
  for (int i = 0; i < 20; ++i) p.push_back(static_cast<std::uint8_t>(0xA0 + i));
  p.resize(p.size() + SrtpSession::kMaxTrailer);
  return p;
}
inline constexpr std::size_t kRtcpSize = 28;

}  // namespace portier::webrtc::test
