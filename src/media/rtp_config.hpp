#pragma once
// Relay settings as a plain struct; the app maps the YAML `rtp:` section onto it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace portier::media {

struct RtpConfig {
  std::string bind_address = "0.0.0.0";   // where relay sockets listen (an IP literal)
  std::uint16_t port_min = 10000;         // first port of the range (RTP ports are even, RTCP = RTP + 1)
  std::uint16_t port_max = 20000;         // last port of the range
  std::chrono::seconds idle_timeout{60};  // no RTP/RTCP on any leg for this long ends the call (callback)
  std::chrono::milliseconds idle_check_interval{1000};
  // Latching (symmetric RTP behind NAT): during a leg's first `latch_packets` accepted packets the source may be
  // anything (the peer's NAT mapping is not known in advance); afterwards only the latched source is accepted,
  // except a source in the same network as the signalled address (/prefix), which may re-latch (NAT rebinding).
  std::size_t latch_packets = 5;
  int relatch_prefix_v4 = 24;
  int relatch_prefix_v6 = 64;
};

}  // namespace portier::media
