#include "net/stream_server.hpp"

#include "base/log.hpp"

namespace portier::net {

std::shared_ptr<StreamServer> StreamServer::create(asio::io_context& io, const asio::ip::tcp::endpoint& local,
                                                   asio::ssl::context* tls, const Options& options,
                                                   Listener& listener) {
  return std::make_shared<StreamServer>(io, local, tls, options, listener);
}

StreamServer::StreamServer(asio::io_context& io, const asio::ip::tcp::endpoint& local, asio::ssl::context* tls,
                           const Options& options, Listener& listener)
    : acceptor_(io), tls_(tls), options_(options), listener_(&listener) {
  acceptor_.open(local.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(local);
  acceptor_.listen();
  local_ = acceptor_.local_endpoint();
}

void StreamServer::start() { do_accept(); }

void StreamServer::stop() {
  listener_ = nullptr;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  auto conns = std::move(connections_);
  connections_.clear();
  for (auto& [id, conn] : conns) conn->close();
  by_remote_.clear();
}

void StreamServer::do_accept() {
  acceptor_.async_accept([self = shared_from_this()](const boost::system::error_code& ec,
                                                     asio::ip::tcp::socket socket) {
    if (!self->listener_) return;
    if (!ec) {
      if (self->connections_.size() >= self->options_.max_connections) {
        ++self->rejected_;
        boost::system::error_code ignored;
        socket.close(ignored);
      } else {
        const auto id = self->next_id_++;
        auto conn = std::make_shared<StreamConnection>(*self, id, std::move(socket), self->tls_,
                                                       self->options_.limits);
        self->connections_.emplace(id, conn);
        self->by_remote_[conn->remote()] = id;
        conn->start();
      }
    } else if (ec == asio::error::operation_aborted) {
      return;
    } else {
      log::get("net")->warn("accept on {} failed: {}", self->local_.port(), ec.message());
    }
    self->do_accept();
  });
}

std::size_t StreamServer::deliver(StreamConnection& conn, std::string_view buffered) {
  if (!listener_) return StreamConnection::kClose;
  return listener_->on_stream_data(*this, conn, buffered);
}

void StreamServer::on_connection_closed(StreamConnection& conn) {
  auto it = connections_.find(conn.id());
  if (it == connections_.end()) return;
  auto keep = it->second;  // the connection object must outlive the listener call
  connections_.erase(it);
  if (auto r = by_remote_.find(conn.remote()); r != by_remote_.end() && r->second == conn.id()) by_remote_.erase(r);
  if (listener_) listener_->on_stream_closed(*this, conn);
}

bool StreamServer::send(std::uint64_t connection_id, std::string data) {
  auto it = connections_.find(connection_id);
  if (it == connections_.end()) return false;
  auto conn = it->second;
  return conn->send(std::move(data));
}

std::uint64_t StreamServer::find(const asio::ip::tcp::endpoint& remote) const {
  auto it = by_remote_.find(remote);
  return it == by_remote_.end() ? 0 : it->second;
}

std::string StreamServer::dump() const {
  return std::string(tls_ ? "TlsServer{" : "TcpServer{") + local_.address().to_string() + ":" +
         std::to_string(local_.port()) + " connections=" + std::to_string(connections_.size()) +
         " rejected=" + std::to_string(rejected_) + "}";
}

}  // namespace portier::net
