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
  socket_.async_receive_from(asio::buffer(buffer_), from_,
                             [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                               self->on_receive(ec, n);
                             });
}

void UdpSocket::on_receive(const boost::system::error_code& ec, std::size_t size) {
  if (!listener_ || ec == asio::error::operation_aborted) return;
  if (!ec) {
    ++received_;
    listener_->on_udp_datagram(*this, std::string_view(buffer_.data(), size), from_);
  } else {
    // ICMP port unreachable and similar surface here on Linux; they concern one peer, not the socket.
    log::get("net")->debug("udp {}: receive error {}", local_.port(), ec.message());
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
