#pragma once
// SIP over UDP, TCP and TLS (RFC 3261 §18): owns the sockets and listeners (net), frames streams, parses,
// stamps received/rport, answers CRLF keep-alive pings (RFC 5626 §4.4.1) and sends responses back over the
// socket or connection the request came in on (over UDP, responses made while a receive batch is handled leave
// together by sendmmsg: net::UdpSocket::send_batched). Bad packets are counted, logged and dropped; nothing here
// throws after construction.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>

#include "base/result.hpp"
#include "net/stream_server.hpp"
#include "net/udp_socket.hpp"
#include "sip/msg/parser.hpp"
#include "sip/txn/incoming_message.hpp"
#include "sip/txn/sender.hpp"

namespace portier::sip::txn {

struct ListenSpec {
  Protocol protocol = Protocol::udp;
  std::string host;  // numeric, IPv6 without brackets
  std::uint16_t port = 0;
  std::string to_string() const;
};

// "udp:127.0.0.1:5060", "tcp:[::1]:5060", "tls:0.0.0.0:5061"; the port defaults to 5060 (5061 for TLS).
Result<ListenSpec> parse_listen(std::string_view spec);

// The text form of an address as Asio's to_string() gives it (IPv4 without inet_ntop's sprintf).
std::string address_text(const boost::asio::ip::address& address);

class TransportLayer final : public Sender, net::UdpSocket::Listener, net::StreamServer::Listener {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_transport_message(IncomingMessage&& in) = 0;
  };

  struct Options {
    std::vector<std::string> listen{"udp:127.0.0.1:5060"};
    std::string tls_certificate;  // PEM chain; required when a tls: listener is configured
    std::string tls_private_key;
    msg::Limits limits;
    net::StreamServer::Options stream;
  };

  struct Stats {
    std::uint64_t received = 0;
    std::uint64_t malformed = 0;
    std::uint64_t keepalives = 0;
    std::uint64_t send_failures = 0;
  };

  // Throws std::runtime_error / boost::system::system_error on bad listen specs, busy ports or TLS files.
  TransportLayer(boost::asio::io_context& io, const Options& options, Listener& listener);
  ~TransportLayer() override;

  void start();
  void stop();
  bool send(const Peer& to, std::string data) override;

  std::size_t local_count() const { return locals_.size(); }
  const ListenSpec& local(std::size_t i) const { return locals_[i].spec; }
  // "host:port" for Via headers of requests we send from local socket i.
  std::string sent_by(std::size_t i) const;
  const Stats& stats() const { return stats_; }
  std::string dump() const;

 private:
  struct Local {
    ListenSpec spec;
    std::shared_ptr<net::UdpSocket> udp;
    std::shared_ptr<net::StreamServer> stream;
  };

  void on_udp_datagram(net::UdpSocket& socket, std::string_view data,
                       const boost::asio::ip::udp::endpoint& from) override;
  std::size_t on_stream_data(net::StreamServer& server, net::StreamConnection& conn,
                             std::string_view buffered) override;
  void on_stream_closed(net::StreamServer& server, net::StreamConnection& conn) override;
  void deliver(std::string_view data, Peer&& source);
  std::size_t index_of(const void* socket_or_server) const;

  boost::asio::io_context& io_;
  Options options_;
  Listener& listener_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::vector<Local> locals_;
  Stats stats_;
};

}  // namespace portier::sip::txn
