#include "net/udp_socket.hpp"

#include <cerrno>
#include <cstring>

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>

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
  buffers_ = std::make_unique_for_overwrite<char[]>(kBatch * kMaxDatagram);
  queue_.reserve(kSendBatch);
}

void UdpSocket::start() { do_receive(); }

void UdpSocket::stop() {
  listener_ = nullptr;
  flush();
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void UdpSocket::do_receive() {
  // Wait for readability, then drain what the kernel has queued with non-blocking batched reads: under load this
  // saves an epoll round trip per datagram and a system call for all but one datagram of a batch.
  socket_.async_wait(asio::socket_base::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

int UdpSocket::receive_batch(int want) {
  for (int i = 0; i < want; ++i) {
    iovecs_[i] = iovec{buffers_.get() + static_cast<std::size_t>(i) * kMaxDatagram, kMaxDatagram};
    auto& h = headers_[i].msg_hdr;
    h = msghdr{};
    h.msg_name = &addresses_[i];
    h.msg_namelen = sizeof(sockaddr_storage);
    h.msg_iov = &iovecs_[i];
    h.msg_iovlen = 1;
    headers_[i].msg_len = 0;
  }
  ++stats_.receive_calls;
  const int n = ::recvmmsg(socket_.native_handle(), headers_.data(), static_cast<unsigned>(want), MSG_DONTWAIT,
                           nullptr);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    // ICMP port unreachable and similar surface here on Linux; they concern one peer, not the socket.
    log::get("net")->debug("udp {}: receive error {}", local_.port(), std::strerror(errno));
    return -1;
  }
  asio::ip::udp::endpoint from;
  for (int i = 0; i < n && listener_; ++i) {
    const auto& h = headers_[i].msg_hdr;
    std::memcpy(from.data(), h.msg_name, h.msg_namelen);
    from.resize(h.msg_namelen);
    ++stats_.received;
    listener_->on_udp_datagram(*this, std::string_view(static_cast<const char*>(iovecs_[i].iov_base),
                                                       headers_[i].msg_len),
                               from);
  }
  return n;
}

void UdpSocket::on_readable(const boost::system::error_code& ec) {
  if (!listener_ || ec == asio::error::operation_aborted) return;
  bool drained = false;
  batching_ = true;
  for (int handled = 0; handled < kMaxBurst && listener_;) {
    const int want = std::min(kBatch, kMaxBurst - handled);
    const int n = receive_batch(want);
    if (n == 0 || (n > 0 && n < want)) {
      drained = true;  // a non-blocking recvmmsg returns short only when the queue ran empty
      break;
    }
    handled += n < 0 ? 1 : n;
  }
  batching_ = false;
  flush();
  if (!listener_) return;
  if (drained) {
    do_receive();
    return;
  }
  // More may be queued: let other handlers run, then continue reading at once instead of relying on the
  // (edge-triggered) reactor to report data that was already there.
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->on_readable({}); });
}

bool UdpSocket::send_to(std::string_view data, const asio::ip::udp::endpoint& to) {
  if (!queue_.empty()) flush();  // keep the order of the calls on the wire
  boost::system::error_code ec;
  ++stats_.send_calls;
  socket_.send_to(asio::buffer(data.data(), data.size()), to, 0, ec);
  if (ec) {
    count_send_error(to, ec.value());
    return false;
  }
  ++stats_.sent;
  return true;
}

bool UdpSocket::send_batched(std::string data, const asio::ip::udp::endpoint& to) {
  if (!batching_) return send_to(data, to);
  queue_.push_back(Outgoing{std::move(data), to});
  if (queue_.size() >= static_cast<std::size_t>(kSendBatch)) flush();
  return true;
}

void UdpSocket::flush() {
  if (queue_.empty()) return;
  std::array<mmsghdr, kSendBatch> headers{};
  std::array<iovec, kSendBatch> iovecs{};
  const auto count = queue_.size();  // <= kSendBatch: send_batched flushes when the queue is full
  for (std::size_t i = 0; i < count; ++i) {
    auto& out = queue_[i];
    iovecs[i] = iovec{out.data.data(), out.data.size()};
    auto& h = headers[i].msg_hdr;
    h.msg_name = out.to.data();
    h.msg_namelen = static_cast<socklen_t>(out.to.size());
    h.msg_iov = &iovecs[i];
    h.msg_iovlen = 1;
  }
  std::size_t next = 0;
  while (next < count) {
    ++stats_.send_calls;
    const int n = ::sendmmsg(socket_.native_handle(), headers.data() + next, static_cast<unsigned>(count - next),
                             MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      // The datagram at `next` failed (like one send_to); the rest still get their chance.
      count_send_error(queue_[next].to, errno);
      ++next;
      continue;
    }
    stats_.sent += static_cast<std::uint64_t>(n);
    next += static_cast<std::size_t>(n);
  }
  queue_.clear();
}

void UdpSocket::count_send_error(const asio::ip::udp::endpoint& to, int error) {
  ++stats_.send_errors;
  log::get("net")->debug("udp {}: send to {}:{} failed: {}", local_.port(), to.address().to_string(), to.port(),
                         std::strerror(error));
}

std::string UdpSocket::dump() const {
  return "UdpSocket{" + local_.address().to_string() + ":" + std::to_string(local_.port()) +
         " rx=" + std::to_string(stats_.received) + " tx=" + std::to_string(stats_.sent) +
         " tx_err=" + std::to_string(stats_.send_errors) + " rx_calls=" + std::to_string(stats_.receive_calls) +
         " tx_calls=" + std::to_string(stats_.send_calls) + "}";
}

}  // namespace portier::net
