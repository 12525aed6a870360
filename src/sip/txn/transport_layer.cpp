#include "sip/txn/transport_layer.hpp"

#include <stdexcept>

#include <boost/asio/ip/address.hpp>

#include "base/error.hpp"
#include "base/log.hpp"
#include "sip/msg/lexer.hpp"
#include "sip/msg/stream_framer.hpp"

namespace portier::sip::txn {

namespace asio = boost::asio;

// Dotted quad by hand for IPv4: Asio's to_string goes through inet_ntop, which formats with sprintf (per datagram).
std::string address_text(const asio::ip::address& address) {
  if (!address.is_v4()) return address.to_string();
  const auto bytes = address.to_v4().to_bytes();
  char text[16];
  std::size_t n = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0) text[n++] = '.';
    const unsigned b = bytes[i];
    if (b >= 100) text[n++] = static_cast<char>('0' + b / 100);
    if (b >= 10) text[n++] = static_cast<char>('0' + b / 10 % 10);
    text[n++] = static_cast<char>('0' + b % 10);
  }
  return std::string(text, n);
}

std::string ListenSpec::to_string() const {
  Peer p{protocol, host, port};
  return p.to_string();
}

Result<ListenSpec> parse_listen(std::string_view spec) {
  ListenSpec out;
  const auto colon = spec.find(':');
  if (colon == std::string_view::npos) return Error(errc::invalid_argument, "listen spec needs proto:host[:port]");
  const auto proto = spec.substr(0, colon);
  if (proto == "udp") out.protocol = Protocol::udp;
  else if (proto == "tcp") out.protocol = Protocol::tcp;
  else if (proto == "tls") out.protocol = Protocol::tls;
  else return Error(errc::invalid_argument, "unknown transport '" + std::string(proto) + "'");
  auto rest = spec.substr(colon + 1);
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return Error(errc::invalid_argument, "unterminated IPv6 address");
    out.host = std::string(rest.substr(1, close - 1));
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return Error(errc::invalid_argument, "bad listen spec");
      port = rest.substr(close + 2);
    }
  } else {
    const auto c = rest.rfind(':');
    out.host = std::string(rest.substr(0, c));
    if (c != std::string_view::npos) port = rest.substr(c + 1);
  }
  boost::system::error_code ec;
  asio::ip::make_address(out.host, ec);
  if (ec) return Error(errc::invalid_argument, "listen address must be numeric: '" + out.host + "'");
  if (port.empty()) {
    out.port = out.protocol == Protocol::tls ? 5061 : 5060;
  } else {
    auto p = msg::parse_uint(port, 65535);
    if (!p) return Error(errc::invalid_argument, "bad port in '" + std::string(spec) + "'");
    out.port = static_cast<std::uint16_t>(*p);  // 0 lets the OS pick (tests)
  }
  return out;
}

TransportLayer::TransportLayer(asio::io_context& io, const Options& options, Listener& listener)
    : io_(io), options_(options), listener_(listener) {
  for (const auto& text : options.listen) {
    auto spec = parse_listen(text);
    if (!spec) throw std::runtime_error("sip.listen: " + spec.error().what());
    Local local{*spec, nullptr, nullptr};
    const auto address = asio::ip::make_address(spec->host);
    if (spec->protocol == Protocol::udp) {
      local.udp = net::UdpSocket::create(io, {address, spec->port}, *this);
      local.spec.port = local.udp->local_endpoint().port();
    } else {
      if (spec->protocol == Protocol::tls && !tls_) {
        if (options.tls_certificate.empty() || options.tls_private_key.empty())
          throw std::runtime_error("sip: a tls: listener needs a certificate and a private key");
        tls_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
        tls_->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                          asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                          asio::ssl::context::no_tlsv1_1);
        tls_->use_certificate_chain_file(options.tls_certificate);
        tls_->use_private_key_file(options.tls_private_key, asio::ssl::context::pem);
      }
      auto* ctx = spec->protocol == Protocol::tls ? tls_.get() : nullptr;
      local.stream = net::StreamServer::create(io, {address, spec->port}, ctx, options.stream, *this);
      local.spec.port = local.stream->local_endpoint().port();
    }
    locals_.push_back(std::move(local));
  }
}

TransportLayer::~TransportLayer() { stop(); }

void TransportLayer::start() {
  for (auto& l : locals_) {
    if (l.udp) l.udp->start();
    if (l.stream) l.stream->start();
    log::get("sip")->info("listening on {}", l.spec.to_string());
  }
}

void TransportLayer::stop() {
  for (auto& l : locals_) {
    if (l.udp) l.udp->stop();
    if (l.stream) l.stream->stop();
  }
}

std::string TransportLayer::sent_by(std::size_t i) const {
  const auto& s = locals_.at(i).spec;
  const bool v6 = s.host.find(':') != std::string::npos;
  return (v6 ? "[" + s.host + "]" : s.host) + ":" + std::to_string(s.port);
}

std::size_t TransportLayer::index_of(const void* socket_or_server) const {
  for (std::size_t i = 0; i < locals_.size(); ++i) {
    if (locals_[i].udp.get() == socket_or_server || locals_[i].stream.get() == socket_or_server) return i;
  }
  return 0;
}

void TransportLayer::deliver(std::string_view data, Peer&& source) {
  ++stats_.received;
  auto in = make_incoming(data, source, options_.limits);
  if (!in) {
    ++stats_.malformed;
    log::get("sip")->info("dropped unparseable message from {}: {}", source.to_string(), in.error().what());
    return;
  }
  listener_.on_transport_message(std::move(in).value());
}

void TransportLayer::on_udp_datagram(net::UdpSocket& socket, std::string_view data,
                                     const asio::ip::udp::endpoint& from) {
  if (data.find_first_not_of("\r\n", 0) == std::string_view::npos || data.size() <= 4) {
    ++stats_.keepalives;  // CRLF / tiny NAT keep-alive datagrams need no answer
    return;
  }
  deliver(data, Peer{Protocol::udp, address_text(from.address()), from.port(), 0, index_of(&socket)});
}

std::size_t TransportLayer::on_stream_data(net::StreamServer& server, net::StreamConnection& conn,
                                           std::string_view buffered) {
  auto frame = msg::next_frame(buffered, options_.limits);
  if (!frame) {
    ++stats_.malformed;
    log::get("sip")->info("closing {} from {}: {}", conn.dump(), conn.remote().address().to_string(),
                          frame.error().what());
    return net::StreamConnection::kClose;
  }
  switch (frame->kind) {
    case msg::Frame::Kind::need_more:
      return 0;
    case msg::Frame::Kind::ping:
      ++stats_.keepalives;
      conn.send("\r\n");  // pong
      return frame->size;
    case msg::Frame::Kind::pong:
      return frame->size;
    case msg::Frame::Kind::message:
      break;
  }
  const auto proto = conn.is_tls() ? Protocol::tls : Protocol::tcp;
  deliver(buffered.substr(0, frame->size),
          Peer{proto, conn.remote().address().to_string(), conn.remote().port(), conn.id(), index_of(&server)});
  return frame->size;
}

void TransportLayer::on_stream_closed(net::StreamServer&, net::StreamConnection& conn) {
  log::get("sip")->debug("{} closed", conn.dump());
}

bool TransportLayer::send(const Peer& to, std::string data) {
  if (to.local >= locals_.size()) return false;
  auto& local = locals_[to.local];
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(to.address, ec);
  bool ok = false;
  if (local.udp) {
    // Responses produced while a receive batch is handled leave together with one sendmmsg when it ends; requests
    // go out at once, so that a client transaction learns of a send failure from the return value.
    const bool response = data.starts_with("SIP/2.0 ");
    ok = !ec && (response ? local.udp->send_batched(std::move(data), {address, to.port})
                          : local.udp->send_to(data, {address, to.port}));
  } else if (local.stream) {
    auto id = to.connection;
    if (!ec && (id == 0 || !local.stream->send(id, data))) {
      // The connection the peer used is gone or unknown: any other one from the same address and port will do.
      id = local.stream->find({address, to.port});
      ok = id != 0 && local.stream->send(id, std::move(data));
    } else {
      ok = !ec;
    }
  }
  if (!ok) ++stats_.send_failures;
  return ok;
}

std::string TransportLayer::dump() const {
  std::string out = "TransportLayer{";
  for (const auto& l : locals_) out += (l.udp ? l.udp->dump() : l.stream->dump()) + " ";
  out += "received=" + std::to_string(stats_.received) + " malformed=" + std::to_string(stats_.malformed) +
         " keepalives=" + std::to_string(stats_.keepalives) + "}";
  return out;
}

}  // namespace portier::sip::txn
