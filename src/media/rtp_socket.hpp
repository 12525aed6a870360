#pragma once
// One UDP socket of a relay leg. Unlike net::UdpSocket it (a) never sets SO_REUSEADDR, so two relays or another
// process can never share a port, (b) reports a bind failure as a value (port allocation is an expected failure,
// answered with 503), and (c) is read in batches by the engine's RtpPoller (one recvmmsg per wake-up) into the
// poller's writable buffers shared by every socket of the engine, so that the relay rewrites headers in place
// without a per-packet copy or allocation. A plain non-blocking descriptor, not an asio socket: asio would register
// it with its own epoll and wake up for every datagram as well. Owned through shared_ptr (the PortLease); the poller
// holds an owner only while it delivers this socket's batch, so that a listener may close and drop it from inside
// its callback. After close() the listener is never called again. io_context thread only.
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <boost/asio/ip/udp.hpp>

#include "base/result.hpp"
#include "media/rtp_poller.hpp"

namespace portier::media {

using Endpoint = boost::asio::ip::udp::endpoint;

class RtpSocket : public std::enable_shared_from_this<RtpSocket> {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // `data` points into the poller's shared buffer and may be modified; valid only during the call.
    virtual void on_rtp_socket_datagram(RtpSocket& socket, std::span<std::uint8_t> data, const Endpoint& from) = 0;
  };

  // errc::bind_failed (with the system's reason) when the port is taken or the address is not local.
  static Result<std::shared_ptr<RtpSocket>> open(RtpPoller& poller, const Endpoint& local);
  explicit RtpSocket(RtpPoller& poller);  // use open()
  ~RtpSocket();
  RtpSocket(const RtpSocket&) = delete;
  RtpSocket& operator=(const RtpSocket&) = delete;

  // Datagrams queued by the kernel since open() are delivered too.
  void start(Listener& listener);
  void close();
  // Non-blocking; false (and counted) when the kernel refuses or would block.
  bool send_to(std::span<const std::uint8_t> data, const Endpoint& to);
  std::uint16_t port() const { return local_.port(); }
  const Endpoint& local_endpoint() const { return local_; }
  std::uint64_t send_errors() const { return send_errors_; }
  std::uint64_t oversize() const { return oversize_; }
  std::string dump() const;

  // The poller's call when the descriptor is readable: one recvmmsg of up to RtpPoller::kBatch datagrams, each
  // handed to the listener in arrival order. Datagrams larger than RtpPoller::kSlotSize are dropped and counted.
  void on_readable(RtpPoller::Batch& batch);

 private:
  RtpPoller& poller_;
  int fd_ = -1;
  std::uint64_t key_ = 0;  // the poller's name for this socket
  bool watched_ = false;
  Endpoint local_;
  Listener* listener_ = nullptr;
  std::uint64_t received_ = 0;
  std::uint64_t send_errors_ = 0;
  std::uint64_t receive_errors_ = 0;
  std::uint64_t oversize_ = 0;
};

}  // namespace portier::media
