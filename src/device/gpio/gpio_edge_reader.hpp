#pragma once
// Reads libgpiod line events from a line's event fd on the io_context, so edges reach the domain on the one io thread
// with no thread of our own. The fd is dup()ed: the line keeps (and closes) its own.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace portier::device::gpio {

class GpioEdgeReader {
 public:
  using Handler = std::function<void(bool active, Clock::SteadyTime when)>;

  // `name` is for messages. The handler runs on `io`; reading stops when this object is destroyed.
  static Result<std::unique_ptr<GpioEdgeReader>> create(boost::asio::io_context& io, int fd, std::string name,
                                                        Handler handler);
  ~GpioEdgeReader();
  GpioEdgeReader(const GpioEdgeReader&) = delete;
  GpioEdgeReader& operator=(const GpioEdgeReader&) = delete;

  std::uint64_t events() const { return events_; }
  bool failed() const { return failed_; }
  std::string dump() const;

 private:
  GpioEdgeReader(boost::asio::posix::stream_descriptor fd, std::string name, Handler handler);
  void do_wait();
  void on_readable();

  boost::asio::posix::stream_descriptor fd_;
  std::string name_;
  Handler handler_;
  std::shared_ptr<char> alive_ = std::make_shared<char>();  // pending handlers check it: no use after free
  std::uint64_t events_ = 0;
  bool failed_ = false;
};

// Kernel event timestamps are CLOCK_MONOTONIC on Linux >= 5.7 and CLOCK_REALTIME before; whichever `event_ns` is
// closer to, it is mapped onto the steady (monotonic) clock the domain compares times with.
Clock::SteadyTime kernel_event_time(std::int64_t event_ns, std::int64_t monotonic_now_ns, std::int64_t realtime_now_ns);

}  // namespace portier::device::gpio
