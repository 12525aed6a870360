#include "net/stream_connection.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>

#include "base/log.hpp"
#include "net/stream_server.hpp"

namespace portier::net {

StreamConnection::StreamConnection(StreamServer& server, std::uint64_t id, asio::ip::tcp::socket socket,
                                   asio::ssl::context* tls, const StreamLimits& limits)
    : server_(&server), id_(id), limits_(limits), timer_(socket.get_executor()) {
  boost::system::error_code ec;
  remote_ = socket.remote_endpoint(ec);
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  if (tls) {
    tls_ = std::make_unique<TlsStream>(std::move(socket), *tls);
  } else {
    plain_.emplace(std::move(socket));
  }
}

asio::ip::tcp::socket& StreamConnection::lowest_layer() { return tls_ ? tls_->next_layer() : *plain_; }

void StreamConnection::start() {
  if (!tls_) {
    ready_ = true;
    arm_timer(limits_.idle_timeout);
    do_read();
    return;
  }
  arm_timer(limits_.handshake_timeout);
  tls_->async_handshake(asio::ssl::stream_base::server,
                        [self = shared_from_this()](const boost::system::error_code& ec) { self->on_handshake(ec); });
}

void StreamConnection::on_handshake(const boost::system::error_code& ec) {
  if (!server_) return;
  if (ec) {
    log::get("net")->debug("tls {}: handshake failed: {}", remote_.address().to_string(), ec.message());
    close();
    return;
  }
  ready_ = true;
  arm_timer(limits_.idle_timeout);
  do_read();
  if (!out_.empty() && !writing_) do_write();
}

void StreamConnection::arm_timer(std::chrono::seconds timeout) {
  timer_.expires_after(timeout);
  timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (!self || ec == asio::error::operation_aborted) return;
    log::get("net")->debug("stream {}: timeout", self->id_);
    self->close();
  });
}

void StreamConnection::do_read() {
  auto handler = [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
    self->on_read(ec, n);
  };
  if (tls_) {
    tls_->async_read_some(asio::buffer(chunk_), std::move(handler));
  } else {
    plain_->async_read_some(asio::buffer(chunk_), std::move(handler));
  }
}

void StreamConnection::on_read(const boost::system::error_code& ec, std::size_t n) {
  if (!server_) return;
  if (ec) {
    close();
    return;
  }
  arm_timer(limits_.idle_timeout);
  in_.append(chunk_.data(), n);
  // The listener consumes whole frames; whatever is left waits for more bytes.
  while (!in_.empty() && server_) {
    const auto used = server_->deliver(*this, in_);
    if (used == kClose) {
      close();
      return;
    }
    if (used == 0) break;
    in_.erase(0, used);
  }
  if (!server_) return;
  if (in_.size() > limits_.max_read_buffer) {
    log::get("net")->info("stream {}: input buffer limit reached, closing", id_);
    close();
    return;
  }
  do_read();
}

bool StreamConnection::send(std::string data) {
  if (!server_) return false;
  if (out_bytes_ + data.size() > limits_.max_write_queue) {
    log::get("net")->info("stream {}: write queue full, closing", id_);
    close();
    return false;
  }
  out_bytes_ += data.size();
  out_.push_back(std::move(data));
  if (!writing_ && ready_) do_write();
  return true;
}

void StreamConnection::do_write() {
  writing_ = true;
  auto handler = [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
    self->on_write(ec);
  };
  if (tls_) {
    asio::async_write(*tls_, asio::buffer(out_.front()), std::move(handler));
  } else {
    asio::async_write(*plain_, asio::buffer(out_.front()), std::move(handler));
  }
}

void StreamConnection::on_write(const boost::system::error_code& ec) {
  writing_ = false;
  if (!server_) return;
  if (ec) {
    close();
    return;
  }
  out_bytes_ -= out_.front().size();
  out_.pop_front();
  if (!out_.empty()) do_write();
}

void StreamConnection::close() {
  if (!server_) return;
  auto* server = server_;
  server_ = nullptr;
  boost::system::error_code ignored;
  timer_.cancel();
  lowest_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  lowest_layer().close(ignored);
  server->on_connection_closed(*this);
}

std::string StreamConnection::dump() const {
  return std::string(tls_ ? "TlsConnection{" : "TcpConnection{") + std::to_string(id_) + " " +
         remote_.address().to_string() + ":" + std::to_string(remote_.port()) +
         " in=" + std::to_string(in_.size()) + " out=" + std::to_string(out_bytes_) + "}";
}

}  // namespace portier::net
