#pragma once
// A bound UDP socket with a receive loop. Owned through shared_ptr so that handlers still queued after stop() keep
// the object alive; after stop() the listener is never called again.
//
// Batched I/O (Linux): each readiness wake-up drains up to kMaxBurst datagrams with recvmmsg (kBatch per system
// call) and hands them to the listener one by one, in arrival order. Datagrams the listener sends with
// send_batched() while it handles such a batch are queued and leave with one sendmmsg per kSendBatch (or when the
// batch ends); send_to() always sends at once, after whatever is queued, so the order on the wire is the order of
// the calls. The socket owns its receive buffers and the send queue.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <sys/socket.h>
#include <sys/uio.h>

namespace portier::net {

namespace asio = boost::asio;

class UdpSocket : public std::enable_shared_from_this<UdpSocket> {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // `data` is only valid during the call.
    virtual void on_udp_datagram(UdpSocket& socket, std::string_view data, const asio::ip::udp::endpoint& from) = 0;
  };

  static constexpr int kBatch = 32;      // datagrams per recvmmsg call
  // Replies per sendmmsg: a peer with a small receive buffer (sipp: 64 KiB) must not get a whole burst at once.
  static constexpr int kSendBatch = 16;
  static constexpr int kMaxBurst = 64;  // datagrams per wake-up, so that one busy socket cannot starve the others
  static constexpr std::size_t kMaxDatagram = 65536;

  // Throws boost::system::system_error when the address cannot be bound (start-up error).
  static std::shared_ptr<UdpSocket> create(asio::io_context& io, const asio::ip::udp::endpoint& local,
                                           Listener& listener);
  UdpSocket(asio::io_context& io, const asio::ip::udp::endpoint& local, Listener& listener);

  void start();
  // Sends what is still queued, then closes the socket.
  void stop();
  // Non-blocking; a datagram that cannot be sent right away is dropped and counted (false).
  bool send_to(std::string_view data, const asio::ip::udp::endpoint& to);
  // Inside a receive batch: queued and sent with the batch's other replies by one sendmmsg when the batch has been
  // handled (true; a failure then is counted and logged, not returned). Outside a batch: send_to().
  bool send_batched(std::string data, const asio::ip::udp::endpoint& to);
  asio::ip::udp::endpoint local_endpoint() const { return local_; }
  struct Stats {
    std::uint64_t received = 0;
    std::uint64_t sent = 0;
    std::uint64_t send_errors = 0;
    std::uint64_t receive_calls = 0;  // recvmmsg system calls
    std::uint64_t send_calls = 0;     // sendto/sendmmsg system calls
  };
  const Stats& stats() const { return stats_; }
  std::string dump() const;

 private:
  struct Outgoing {
    std::string data;
    asio::ip::udp::endpoint to;
  };

  void do_receive();
  void on_readable(const boost::system::error_code& ec);
  // One recvmmsg for up to `want` datagrams, each handed to the listener. Returns how many were received (0 when
  // the queue is empty), or -1 after a receive error (ICMP errors and the like: they concern one peer).
  int receive_batch(int want);
  void flush();
  void count_send_error(const asio::ip::udp::endpoint& to, int error);

  asio::ip::udp::socket socket_;
  asio::ip::udp::endpoint local_;
  Listener* listener_;  // null after stop()
  // kBatch receive buffers of kMaxDatagram bytes each, allocated uninitialised: only the pages datagrams are
  // written into become resident.
  std::unique_ptr<char[]> buffers_;
  std::array<mmsghdr, kBatch> headers_{};
  std::array<iovec, kBatch> iovecs_{};
  std::array<sockaddr_storage, kBatch> addresses_{};
  bool batching_ = false;        // true while the listener handles a receive batch
  std::vector<Outgoing> queue_;  // send_batched() during a batch; at most kSendBatch entries between flushes
  Stats stats_;
};

}  // namespace portier::net
