#pragma once
// RTCP compound packets (RFC 3550 §6) as views: validation of the whole compound and a walk over its packets,
// plus the in-place SSRC rewrite the relay needs when it rewrites the RTP stream's SSRC.
#include <cstdint>

#include "base/result.hpp"
#include "rtp/bytes.hpp"

namespace portier::rtp {

enum class RtcpType : std::uint8_t {
  sr = 200,
  rr = 201,
  sdes = 202,
  bye = 203,
  app = 204,
  rtpfb = 205,
  psfb = 206,
  xr = 207
};

struct RtcpView {
  std::uint8_t type = 0;   // 192..223
  std::uint8_t count = 0;  // report count / source count / subtype (5 bits)
  bool padding = false;
  std::uint32_t ssrc = 0;  // sender SSRC (SR, RR, APP, feedback) or first source (SDES, BYE); 0 when absent
  Bytes packet;            // this packet, header included
};

// One packet at the start of `data`; its length (the length field) must fit in `data`.
Result<RtcpView> parse_rtcp(Bytes data);

// Every packet is version 2 with a known type range, lengths add up to the datagram exactly, and only the last
// packet may be padded (RFC 3550 A.2, without requiring SR/RR first so that reduced-size RTCP passes).
Status validate_rtcp_compound(Bytes datagram);

// Calls f(const RtcpView&) for each packet of a validated compound.
template <class F>
void for_each_rtcp(Bytes datagram, F&& f) {
  while (!datagram.empty()) {
    auto v = parse_rtcp(datagram);
    if (!v) return;
    f(*v);
    datagram = datagram.subspan(v->packet.size());
  }
}

// Replaces `from` by `to` wherever it is a packet's sender/first-source SSRC. Returns how many were replaced.
int rewrite_rtcp_ssrc(MutableBytes datagram, std::uint32_t from, std::uint32_t to);

}  // namespace portier::rtp
