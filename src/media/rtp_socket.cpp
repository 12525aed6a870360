#include "media/rtp_socket.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "media/media_error.hpp"

namespace portier::media {

Result<std::shared_ptr<RtpSocket>> RtpSocket::open(RtpPoller& poller, const Endpoint& local) {
  auto s = std::make_shared<RtpSocket>(poller);
  auto failed = [&](const char* what) {
    const int err = errno;
    return Error(errc::bind_failed, local.address().to_string() + ":" + std::to_string(local.port()) + ": " + what +
                                        ": " + std::system_category().message(err));
  };
  s->fd_ = ::socket(local.protocol().family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s->fd_ < 0) return failed("socket");
  if (::bind(s->fd_, local.data(), static_cast<socklen_t>(local.size())) != 0) return failed("bind");
  socklen_t len = static_cast<socklen_t>(s->local_.capacity());
  if (::getsockname(s->fd_, s->local_.data(), &len) != 0) return failed("getsockname");
  s->local_.resize(len);
  auto key = poller.watch(*s, s->fd_);
  if (!key) return key.error();
  s->key_ = *key;
  s->watched_ = true;
  return s;
}

RtpSocket::RtpSocket(RtpPoller& poller) : poller_(poller) {}

RtpSocket::~RtpSocket() { close(); }

void RtpSocket::start(Listener& listener) {
  listener_ = &listener;
  if (watched_) poller_.arm(key_, fd_);
}

void RtpSocket::close() {
  listener_ = nullptr;
  if (fd_ < 0) return;
  if (watched_) poller_.unwatch(key_, fd_);
  watched_ = false;
  ::close(fd_);
  fd_ = -1;
}

void RtpSocket::on_readable(RtpPoller::Batch& batch) {
  if (!listener_) return;
  batch.prepare();
  const int n = ::recvmmsg(fd_, batch.msgs.data(), RtpPoller::kBatch, MSG_DONTWAIT, nullptr);
  if (n < 0) {
    // EAGAIN: another reader was faster (none today). Anything else is an ICMP error about one peer, now consumed.
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) ++receive_errors_;
    return;
  }
  for (int i = 0; i < n && listener_; ++i) {  // the listener may close this socket mid-batch
    const auto& msg = batch.msgs[static_cast<std::size_t>(i)];
    if (msg.msg_hdr.msg_flags & MSG_TRUNC) {
      ++oversize_;  // no RTP packet is this large
      continue;
    }
    ++received_;
    auto& from = batch.from[static_cast<std::size_t>(i)];
    from.resize(msg.msg_hdr.msg_namelen);
    listener_->on_rtp_socket_datagram(*this, {batch.slot(static_cast<std::size_t>(i)), msg.msg_len}, from);
  }
}

bool RtpSocket::send_to(std::span<const std::uint8_t> data, const Endpoint& to) {
  if (::sendto(fd_, data.data(), data.size(), 0, to.data(), static_cast<socklen_t>(to.size())) < 0) {
    ++send_errors_;
    return false;
  }
  return true;
}

std::string RtpSocket::dump() const {
  return "RtpSocket{" + std::to_string(local_.port()) + " rx=" + std::to_string(received_) +
         " tx_err=" + std::to_string(send_errors_) + " rx_err=" + std::to_string(receive_errors_) +
         " oversize=" + std::to_string(oversize_) + "}";
}

}  // namespace portier::media
