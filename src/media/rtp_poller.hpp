#pragma once
// Batched receive for every RtpSocket of one MediaEngine (the relay's hot path). The sockets are plain descriptors
// in an epoll set of our own, level-triggered; asio waits on that set's single descriptor. One wake-up of the
// io_context thread then reads every readable socket with one recvmmsg each (up to kBatch datagrams), where one
// asio wait per socket cost, per packet, an epoll round trip, a recvfrom that only said EAGAIN and an epoll_ctl
// re-arm (asio re-arms every async_wait). Still one io_context thread: the set is only read from it.
//
// Ownership: MediaEngine owns the poller; it must outlive every RtpSocket it watches (PortLease closes them first).
// The poller does not own the sockets: it keeps a slot table of raw pointers, cleared by unwatch(), and each epoll
// entry names its slot with a generation, so that a socket closed (or a slot reused) while a wake-up's event list
// is being walked is skipped rather than touched. The receive buffers (Batch) are shared by all sockets: a
// datagram's bytes are valid only during its listener call.
#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "base/result.hpp"

namespace portier::media {

class RtpSocket;

class RtpPoller {
 public:
  static constexpr std::size_t kBatch = 32;      // datagrams per recvmmsg, so that one socket cannot starve others
  static constexpr std::size_t kSlotSize = 4096;  // larger datagrams are dropped and counted (no RTP is this large)
  static constexpr int kMaxEvents = 64;          // sockets served per wake-up; the rest stay ready (level-triggered)

  // recvmmsg's vectors, prepared once: datagram i lands in slot(i), its source in from[i].
  struct Batch {
    Batch();
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;
    // Resets what the kernel overwrites (name lengths, flags) before a recvmmsg.
    void prepare();
    std::uint8_t* slot(std::size_t i) { return buffer.data() + i * kSlotSize; }

    std::array<mmsghdr, kBatch> msgs{};
    std::array<iovec, kBatch> iov{};
    std::array<boost::asio::ip::udp::endpoint, kBatch> from{};
    std::vector<std::uint8_t> buffer;
  };

  // Throws std::system_error when no epoll set can be created (start-up, out of descriptors).
  explicit RtpPoller(boost::asio::io_context& io);
  ~RtpPoller();
  RtpPoller(const RtpPoller&) = delete;
  RtpPoller& operator=(const RtpPoller&) = delete;

  // Adds `socket` (descriptor `fd`) to the set, not yet armed: datagrams wait in the kernel until arm(). The key is
  // for arm() and unwatch(). errc::bind_failed when the kernel refuses (out of memory or epoll watches).
  Result<std::uint64_t> watch(RtpSocket& socket, int fd);
  // From now on `socket`'s datagrams are delivered through RtpSocket::on_readable.
  void arm(std::uint64_t key, int fd);
  // Before the descriptor is closed. Events already fetched for it in this wake-up are dropped.
  void unwatch(std::uint64_t key, int fd);

  Batch& batch() { return batch_; }
  std::size_t watched() const { return watched_; }
  std::uint64_t wakeups() const { return wakeups_; }            // asio completions handled
  std::uint64_t socket_reads() const { return socket_reads_; }  // recvmmsg calls
  std::string dump() const;

 private:
  struct Slot {
    RtpSocket* socket = nullptr;
    std::uint32_t generation = 0;
    bool armed = false;
  };

  void do_wait();
  void on_ready();

  boost::asio::posix::stream_descriptor epoll_;  // owns the epoll descriptor
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::size_t watched_ = 0;
  // An asio wait is pending only while some socket is armed, so that an io_context with idle relay ports (or none)
  // runs out of work exactly as it did when each socket had its own wait.
  std::size_t armed_ = 0;
  bool waiting_ = false;
  Batch batch_;
  std::uint64_t wakeups_ = 0;
  std::uint64_t socket_reads_ = 0;
  std::uint64_t wait_errors_ = 0;  // failed waits on the epoll set itself
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);  // the wait handler holds a weak_ptr to it
};

}  // namespace portier::media
