#pragma once
// One UDP socket of a relay leg. Unlike net::UdpSocket it (a) never sets SO_REUSEADDR, so two relays or another
// process can never share a port, (b) reports a bind failure as a value (port allocation is an expected failure,
// answered with 503), and (c) receives into a caller-provided, writable scratch buffer shared by every socket of
// the engine, so that the relay rewrites headers in place without a per-packet copy or allocation. Owned through
// shared_ptr so that a receive handler still queued after close() keeps it alive; after close() the listener is
// never called again.
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "base/result.hpp"

namespace portier::media {

namespace asio = boost::asio;
using Endpoint = asio::ip::udp::endpoint;

class RtpSocket : public std::enable_shared_from_this<RtpSocket> {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // `data` points into the shared scratch buffer and may be modified; valid only during the call.
    virtual void on_rtp_socket_datagram(RtpSocket& socket, std::span<std::uint8_t> data, const Endpoint& from) = 0;
  };

  // errc::bind_failed (with the system's reason) when the port is taken or the address is not local.
  static Result<std::shared_ptr<RtpSocket>> open(asio::io_context& io, const Endpoint& local,
                                                 std::span<std::uint8_t> scratch);
  RtpSocket(asio::io_context& io, std::span<std::uint8_t> scratch);

  void start(Listener& listener);
  void close();
  // Non-blocking; false (and counted) when the kernel refuses or would block.
  bool send_to(std::span<const std::uint8_t> data, const Endpoint& to);
  std::uint16_t port() const { return local_.port(); }
  const Endpoint& local_endpoint() const { return local_; }
  std::uint64_t send_errors() const { return send_errors_; }
  std::string dump() const;

 private:
  void do_receive();
  void on_readable(const boost::system::error_code& ec);
  static constexpr int kMaxBurst = 32;  // datagrams per wake-up, so that one busy socket cannot starve the others

  asio::ip::udp::socket socket_;
  Endpoint local_;
  std::span<std::uint8_t> scratch_;
  Listener* listener_ = nullptr;
  Endpoint from_;
  std::uint64_t send_errors_ = 0;
  std::uint64_t oversize_ = 0;
};

}  // namespace portier::media
