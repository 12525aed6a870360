#pragma once
// A bound UDP socket with a receive loop. Owned through shared_ptr so that handlers still queued after stop() keep
// the object alive; after stop() the listener is never called again.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

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

  // Throws boost::system::system_error when the address cannot be bound (start-up error).
  static std::shared_ptr<UdpSocket> create(asio::io_context& io, const asio::ip::udp::endpoint& local,
                                           Listener& listener);
  UdpSocket(asio::io_context& io, const asio::ip::udp::endpoint& local, Listener& listener);

  void start();
  void stop();
  // Non-blocking; a datagram that cannot be sent right away is dropped and counted (false).
  bool send_to(std::string_view data, const asio::ip::udp::endpoint& to);
  asio::ip::udp::endpoint local_endpoint() const { return local_; }
  std::string dump() const;

 private:
  void do_receive();
  void on_readable(const boost::system::error_code& ec);
  static constexpr int kMaxBurst = 64;  // datagrams per wake-up, so that one busy socket cannot starve the others

  asio::ip::udp::socket socket_;
  asio::ip::udp::endpoint local_;
  Listener* listener_;  // null after stop()
  asio::ip::udp::endpoint from_;
  std::array<char, 65536> buffer_{};
  std::uint64_t received_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t send_errors_ = 0;
};

}  // namespace portier::net
