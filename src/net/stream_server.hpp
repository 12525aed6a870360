#pragma once
// A TCP or TLS listening socket and the table of its connections (which it owns). Connections are found by id or
// by remote address, so that responses and requests reuse the connection a peer opened (RFC 3261 §18.2.2).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "net/stream_connection.hpp"

namespace portier::net {

class StreamServer : public std::enable_shared_from_this<StreamServer> {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // `buffered` holds all unconsumed input; return the bytes used (0: wait for more, kClose: close).
    virtual std::size_t on_stream_data(StreamServer& server, StreamConnection& conn, std::string_view buffered) = 0;
    virtual void on_stream_closed(StreamServer& server, StreamConnection& conn) = 0;
  };

  struct Options {
    StreamLimits limits;
    std::size_t max_connections = 4096;
  };

  // `tls` null for plain TCP; when set it must outlive the server. Throws when the address cannot be bound.
  static std::shared_ptr<StreamServer> create(asio::io_context& io, const asio::ip::tcp::endpoint& local,
                                              asio::ssl::context* tls, const Options& options, Listener& listener);
  StreamServer(asio::io_context& io, const asio::ip::tcp::endpoint& local, asio::ssl::context* tls,
               const Options& options, Listener& listener);

  void start();
  void stop();
  bool send(std::uint64_t connection_id, std::string data);
  // Id of a live connection from `remote`, 0 when none.
  std::uint64_t find(const asio::ip::tcp::endpoint& remote) const;
  bool is_tls() const { return tls_ != nullptr; }
  asio::ip::tcp::endpoint local_endpoint() const { return local_; }
  std::size_t connection_count() const { return connections_.size(); }
  std::string dump() const;

 private:
  friend class StreamConnection;
  std::size_t deliver(StreamConnection& conn, std::string_view buffered);
  void on_connection_closed(StreamConnection& conn);
  void do_accept();

  asio::ip::tcp::acceptor acceptor_;
  asio::ip::tcp::endpoint local_;
  asio::ssl::context* tls_;
  Options options_;
  Listener* listener_;  // null after stop()
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, std::shared_ptr<StreamConnection>> connections_;
  std::map<asio::ip::tcp::endpoint, std::uint64_t> by_remote_;
  std::uint64_t rejected_ = 0;
};

}  // namespace portier::net
