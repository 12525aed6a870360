#pragma once
// One accepted TCP or TLS connection. Owns itself through shared_from_this bound into every async operation; its
// StreamServer keeps it in a table until it closes. One write in flight, bounded queue, idle and handshake timeouts.
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

namespace portier::net {

namespace asio = boost::asio;

class StreamServer;

struct StreamLimits {
  std::size_t max_read_buffer = 128 * 1024;   // unconsumed input; beyond this the peer is cut off
  std::size_t max_write_queue = 512 * 1024;   // queued output bytes; beyond this the peer is too slow
  std::chrono::seconds idle_timeout{900};
  std::chrono::seconds handshake_timeout{10};
};

class StreamConnection : public std::enable_shared_from_this<StreamConnection> {
 public:
  using TlsStream = asio::ssl::stream<asio::ip::tcp::socket>;
  // Returned by a listener's on_stream_data to ask for the connection to be closed.
  static constexpr std::size_t kClose = static_cast<std::size_t>(-1);

  StreamConnection(StreamServer& server, std::uint64_t id, asio::ip::tcp::socket socket,
                   asio::ssl::context* tls, const StreamLimits& limits);

  void start();
  // Queues data; false (and the connection closes) when the bounded queue would overflow.
  bool send(std::string data);
  void close();

  std::uint64_t id() const { return id_; }
  bool is_tls() const { return tls_ != nullptr; }
  const asio::ip::tcp::endpoint& remote() const { return remote_; }
  std::string dump() const;

 private:
  void on_handshake(const boost::system::error_code& ec);
  void do_read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void do_write();
  void on_write(const boost::system::error_code& ec);
  void arm_timer(std::chrono::seconds timeout);
  asio::ip::tcp::socket& lowest_layer();

  StreamServer* server_;  // null once closed
  std::uint64_t id_;
  std::optional<asio::ip::tcp::socket> plain_;
  std::unique_ptr<TlsStream> tls_;
  StreamLimits limits_;
  asio::ip::tcp::endpoint remote_;
  asio::steady_timer timer_;
  std::array<char, 16384> chunk_{};
  std::string in_;
  std::deque<std::string> out_;
  std::size_t out_bytes_ = 0;
  bool writing_ = false;
  bool ready_ = false;  // handshake done (always true for plain TCP)
};

}  // namespace portier::net
