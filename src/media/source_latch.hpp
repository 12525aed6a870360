#pragma once
// Which source a relay leg accepts packets from, and where it sends (symmetric RTP, RFC 4961). Pure policy,
// tested without sockets:
//   - until latched, and during the first `latch_packets` accepted packets, any source is taken and latched (the
//     peer's NAT mapping is only known from what arrives);
//   - afterwards only the latched source is accepted, or a source in the signalled address's network (same /24 or
//     /64), which re-latches (NAT rebinding, a phone changing port); anything else is a hijack attempt: dropped.
//   - packets go to the latched source, else to the signalled address.
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/ip/udp.hpp>

#include "media/rtp_config.hpp"

namespace portier::media {

class SourceLatch {
 public:
  using Endpoint = boost::asio::ip::udp::endpoint;

  explicit SourceLatch(const RtpConfig& config);
  // New signalling (an answer, a re-INVITE): forget the latched source and open the latching window again. A hold
  // address (0.0.0.0) or none means "not known".
  void expect(std::optional<Endpoint> signalled);
  // Decides for one packet; updates the latched source when it may.
  bool accept(const Endpoint& from);
  std::optional<Endpoint> destination() const;
  bool latched() const { return latched_.has_value(); }
  std::uint64_t relatches() const { return relatches_; }
  std::string dump() const;

 private:
  bool same_network(const boost::asio::ip::address& a) const;

  std::size_t window_;
  int prefix_v4_, prefix_v6_;
  std::optional<Endpoint> signalled_;
  std::optional<Endpoint> latched_;
  std::size_t accepted_ = 0;
  std::uint64_t relatches_ = 0;
};

}  // namespace portier::media
