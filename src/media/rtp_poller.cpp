#include "media/rtp_poller.hpp"

#include <sys/epoll.h>

#include <system_error>

#include "media/media_error.hpp"
#include "media/rtp_socket.hpp"

namespace portier::media {
namespace {

int create_epoll() {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::system_category(), "RTP poller: epoll_create1");
  return fd;
}

std::uint64_t make_key(std::uint32_t index, std::uint32_t generation) {
  return (static_cast<std::uint64_t>(generation) << 32) | index;
}

}  // namespace

RtpPoller::Batch::Batch() : buffer(kBatch * kSlotSize) {
  for (std::size_t i = 0; i < kBatch; ++i) {
    iov[i].iov_base = slot(i);
    iov[i].iov_len = kSlotSize;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = from[i].data();
  }
  prepare();
}

void RtpPoller::Batch::prepare() {
  for (std::size_t i = 0; i < kBatch; ++i) {
    msgs[i].msg_hdr.msg_namelen = static_cast<socklen_t>(from[i].capacity());
    msgs[i].msg_hdr.msg_flags = 0;
  }
}

RtpPoller::RtpPoller(boost::asio::io_context& io) : epoll_(io, create_epoll()) {}

RtpPoller::~RtpPoller() { alive_.reset(); }  // epoll_'s destructor cancels the wait and closes the set

Result<std::uint64_t> RtpPoller::watch(RtpSocket& socket, int fd) {
  std::uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  const auto key = make_key(index, slot.generation);
  epoll_event ev{};
  // Armed by arm(). epoll still reports EPOLLERR/EPOLLHUP for an unarmed entry, but an unconnected UDP socket without
  // IP_RECVERR raises neither (ICMP errors are not queued on it), so a socket not yet started stays silent.
  ev.events = 0;
  ev.data.u64 = key;
  if (::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_ADD, fd, &ev) != 0) {
    const int err = errno;
    free_slots_.push_back(index);
    return Error(errc::bind_failed, "epoll_ctl: " + std::system_category().message(err));
  }
  slot.socket = &socket;
  ++watched_;
  return key;
}

void RtpPoller::arm(std::uint64_t key, int fd) {
  const auto index = static_cast<std::uint32_t>(key);
  if (index >= slots_.size() || slots_[index].generation != static_cast<std::uint32_t>(key >> 32)) return;
  if (slots_[index].armed) return;
  slots_[index].armed = true;
  ++armed_;
  epoll_event ev{};
  ev.events = EPOLLIN;  // level-triggered: a socket left with datagrams after kBatch is reported again
  ev.data.u64 = key;
  ::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_MOD, fd, &ev);  // cannot fail for a descriptor in the set
  if (!waiting_) do_wait();
}

void RtpPoller::unwatch(std::uint64_t key, int fd) {
  const auto index = static_cast<std::uint32_t>(key);
  if (index >= slots_.size() || slots_[index].generation != static_cast<std::uint32_t>(key >> 32)) return;
  ::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_DEL, fd, nullptr);
  Slot& slot = slots_[index];
  if (slot.armed) --armed_;
  slot = Slot{nullptr, slot.generation + 1, false};  // events already fetched under the old key no longer match
  free_slots_.push_back(index);
  --watched_;
  if (armed_ == 0 && waiting_) {
    boost::system::error_code ignored;
    epoll_.cancel(ignored);
    waiting_ = false;
  }
}

void RtpPoller::do_wait() {
  waiting_ = true;
  epoll_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                    [this, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
                      // Cancelled when the last socket went: unwatch() already cleared waiting_, and a newer wait
                      // may be pending by now.
                      if (ec == boost::asio::error::operation_aborted || alive.expired()) return;
                      waiting_ = false;
                      if (ec) {  // the set itself failed (should not happen): visible in dump(), not retried
                        ++wait_errors_;
                        return;
                      }
                      on_ready();
                      if (!alive.expired() && armed_ > 0 && !waiting_) do_wait();
                    });
}

void RtpPoller::on_ready() {
  std::array<epoll_event, kMaxEvents> events;
  const int n = ::epoll_wait(epoll_.native_handle(), events.data(), kMaxEvents, 0);
  ++wakeups_;
  for (int i = 0; i < n; ++i) {
    const auto key = events[i].data.u64;
    const auto index = static_cast<std::uint32_t>(key);
    // A listener may have closed this socket (or another one of this list) since epoll_wait.
    if (index >= slots_.size()) continue;
    const Slot& slot = slots_[index];
    if (!slot.socket || slot.generation != static_cast<std::uint32_t>(key >> 32)) continue;
    const auto keep = slot.socket->shared_from_this();  // its listener may close it and drop the last owner
    ++socket_reads_;
    keep->on_readable(batch_);
  }
}

std::string RtpPoller::dump() const {
  return "RtpPoller{watched=" + std::to_string(watched_) + " armed=" + std::to_string(armed_) +
         " wakeups=" + std::to_string(wakeups_) +
         " socket_reads=" + std::to_string(socket_reads_) +
         (wait_errors_ ? " wait_errors=" + std::to_string(wait_errors_) : std::string()) + "}";
}

}  // namespace portier::media
