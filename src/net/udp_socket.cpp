#include "net/udp_socket.hpp"

#include <boost/asio/buffer.hpp>

#include "base/log.hpp"

namespace portier::net {

std::shared_ptr<UdpSocket> UdpSocket::create(asio::io_context& io, const asio::ip::udp::endpoint& local,
                                             Listener& listener) {
  return std::make_shared<UdpSocket>(io, local, listener);
}

UdpSocket::UdpSocket(asio::io_context& io, const asio::ip::udp::endpoint& local, Listener& listener)
    : socket_(io, local.protocol()), listener_(&listener) {
  socket_.set_option(asio::socket_base::reuse_address(true));
  socket_.bind(local);
  socket_.non_blocking(true);
  // Bursts of REGISTERs must not be dropped by a small kernel buffer.
  boost::system::error_code ignored;
  socket_.set_option(asio::socket_base::receive_buffer_size(4 << 20), ignored);
  local_ = socket_.local_endpoint();
}

void UdpSocket::start() { do_receive(); }

void UdpSocket::stop() {
  listener_ = nullptr;
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void UdpSocket::do_receive() {
  // Wait for readability, then drain what the kernel has queued with non-blocking reads: under load this saves an
  // epoll round trip and a failed speculative read per datagram.
  socket_.async_wait(asio::socket_base::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

void UdpSocket::on_readable(const boost::system::error_code& ec) {
  if (!listener_ || ec == asio::error::operation_aborted) return;
  for (int i = 0; i < kMaxBurst && listener_; ++i) {
    boost::system::error_code rec;
    const auto size = socket_.receive_from(asio::buffer(buffer_), from_, 0, rec);
    if (rec == asio::error::would_block || rec == asio::error::try_again) break;
    if (rec) {
      // ICMP port unreachable and similar surface here on Linux; they concern one peer, not the socket.
      log::get("net")->debug("udp {}: receive error {}", local_.port(), rec.message());
      continue;
    }
    ++received_;
    listener_->on_udp_datagram(*this, std::string_view(buffer_.data(), size), from_);
  }
  if (listener_) do_receive();
}

bool UdpSocket::send_to(std::string_view data, const asio::ip::udp::endpoint& to) {
  boost::system::error_code ec;
  socket_.send_to(asio::buffer(data.data(), data.size()), to, 0, ec);
  if (ec) {
    ++send_errors_;
    log::get("net")->debug("udp {}: send to {}:{} failed: {}", local_.port(), to.address().to_string(), to.port(),
                           ec.message());
    return false;
  }
  ++sent_;
  return true;
}

std::string UdpSocket::dump() const {
  return "UdpSocket{" + local_.address().to_string() + ":" + std::to_string(local_.port()) +
         " rx=" + std::to_string(received_) + " tx=" + std::to_string(sent_) +
         " tx_err=" + std::to_string(send_errors_) + "}";
}

}  // namespace portier::net
