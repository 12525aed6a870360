#include "webrtc/stun/demux.hpp"

#include "webrtc/stun/stun_message.hpp"

namespace portier::webrtc::stun {

PacketKind classify(std::span<const std::uint8_t> data) {
  if (data.empty()) return PacketKind::unknown;
  const std::uint8_t b = data[0];
  if (b <= 3) return looks_like_stun(data) ? PacketKind::stun : PacketKind::unknown;
  if (b >= 20 && b <= 63) return data.size() >= 13 ? PacketKind::dtls : PacketKind::unknown;
  if (b >= 128 && b <= 191 && data.size() >= 2) {
    if (data[1] >= 192 && data[1] <= 223) return data.size() >= 8 ? PacketKind::rtcp : PacketKind::unknown;
    return data.size() >= 12 ? PacketKind::rtp : PacketKind::unknown;
  }
  return PacketKind::unknown;
}

std::string_view to_string(PacketKind k) {
  switch (k) {
    case PacketKind::stun: return "stun";
    case PacketKind::dtls: return "dtls";
    case PacketKind::rtp: return "rtp";
    case PacketKind::rtcp: return "rtcp";
    case PacketKind::unknown: return "unknown";
  }
  return "unknown";
}

}  // namespace portier::webrtc::stun
