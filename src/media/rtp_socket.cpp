#include "media/rtp_socket.hpp"

#include <boost/asio/buffer.hpp>

#include "base/log.hpp"
#include "media/media_error.hpp"

namespace portier::media {

Result<std::shared_ptr<RtpSocket>> RtpSocket::open(asio::io_context& io, const Endpoint& local,
                                                   std::span<std::uint8_t> scratch) {
  auto s = std::make_shared<RtpSocket>(io, scratch);
  boost::system::error_code ec;
  s->socket_.open(local.protocol(), ec);
  if (!ec) s->socket_.bind(local, ec);
  if (!ec) s->socket_.non_blocking(true, ec);
  if (ec)
    return Error(errc::bind_failed,
                 local.address().to_string() + ":" + std::to_string(local.port()) + ": " + ec.message());
  s->local_ = s->socket_.local_endpoint(ec);
  return s;
}

RtpSocket::RtpSocket(asio::io_context& io, std::span<std::uint8_t> scratch) : socket_(io), scratch_(scratch) {}

void RtpSocket::start(Listener& listener) {
  listener_ = &listener;
  do_receive();
}

void RtpSocket::close() {
  listener_ = nullptr;
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void RtpSocket::do_receive() {
  socket_.async_wait(asio::socket_base::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

void RtpSocket::on_readable(const boost::system::error_code& ec) {
  if (!listener_ || ec == asio::error::operation_aborted) return;
  for (int i = 0; i < kMaxBurst && listener_; ++i) {
    boost::system::error_code rec;
    const auto size = socket_.receive_from(asio::buffer(scratch_.data(), scratch_.size()), from_, 0, rec);
    if (rec == asio::error::would_block || rec == asio::error::try_again) break;
    if (rec) continue;  // ICMP errors concern one peer, not the socket
    if (size >= scratch_.size()) {
      ++oversize_;  // possibly truncated: no RTP packet is this large
      continue;
    }
    listener_->on_rtp_socket_datagram(*this, scratch_.first(size), from_);
  }
  if (listener_) do_receive();
}

bool RtpSocket::send_to(std::span<const std::uint8_t> data, const Endpoint& to) {
  boost::system::error_code ec;
  socket_.send_to(asio::buffer(data.data(), data.size()), to, 0, ec);
  if (ec) {
    ++send_errors_;
    return false;
  }
  return true;
}

std::string RtpSocket::dump() const {
  return "RtpSocket{" + std::to_string(local_.port()) + " tx_err=" + std::to_string(send_errors_) +
         " oversize=" + std::to_string(oversize_) + "}";
}

}  // namespace portier::media
