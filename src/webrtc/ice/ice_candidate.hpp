#pragma once
// ICE candidates as SDP a=candidate lines (RFC 8839 §5.1) — ours (host) and the browser's (trickled through the API
// or in the offer). Only UDP candidates with an IP literal are usable: ICE-lite does no DNS, no mDNS, no ICE-TCP.
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace portier::webrtc {

struct IceCandidate {
  std::string foundation;  // 1..32 ice-chars
  int component = 1;       // 1 = RTP (rtcp-mux: the only one)
  std::string transport;   // "udp"/"tcp" lower-cased
  std::uint32_t priority = 0;
  boost::asio::ip::udp::endpoint endpoint;
  std::string type;  // host, srflx, prflx, relay
  std::optional<boost::asio::ip::udp::endpoint> related;  // raddr/rport when given
  // "candidate:1 1 udp 2130706431 192.0.2.1 40000 typ host" (no "a="). RFC 8839 grammar; extension attributes
  // (generation, ufrag, network-id ...) are not kept.
  std::string line() const;
  std::string dump() const { return line(); }
};

// With or without "a=" / "candidate:" prefix. errc::malformed_candidate for bad syntax; errc::unsupported_candidate
// for mDNS ".local" names (and any other host name) and TCP candidates, which ICE-lite cannot use.
Result<IceCandidate> parse_candidate(std::string_view text);

// RFC 8445 §5.1.2.1 with type preference 126 (host): 2^24*126 + 2^8*local_preference + (256 - component).
std::uint32_t host_priority(int local_preference = 65535, int component = 1);

}  // namespace portier::webrtc
