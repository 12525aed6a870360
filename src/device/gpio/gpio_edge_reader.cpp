#include "device/gpio/gpio_edge_reader.hpp"

#include <gpiod.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/error.hpp"
#include "base/log.hpp"

namespace portier::device::gpio {

namespace {

std::int64_t now_ns(clockid_t id) {
  timespec ts{};
  ::clock_gettime(id, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::int64_t abs_diff(std::int64_t a, std::int64_t b) { return a > b ? a - b : b - a; }

}  // namespace

Clock::SteadyTime kernel_event_time(std::int64_t event_ns, std::int64_t monotonic_now_ns,
                                    std::int64_t realtime_now_ns) {
  std::int64_t mono = event_ns;
  if (abs_diff(event_ns, realtime_now_ns) < abs_diff(event_ns, monotonic_now_ns)) {
    mono = monotonic_now_ns - (realtime_now_ns - event_ns);
  }
  return Clock::SteadyTime{std::chrono::duration_cast<Clock::SteadyTime::duration>(std::chrono::nanoseconds{mono})};
}

Result<std::unique_ptr<GpioEdgeReader>> GpioEdgeReader::create(boost::asio::io_context& io, int fd, std::string name,
                                                               Handler handler) {
  const int own = ::dup(fd);
  if (own < 0) return Error(errc::io_error, name + ": cannot watch line events: " + std::strerror(errno));
  boost::asio::posix::stream_descriptor sd(io, own);
  boost::system::error_code ec;
  sd.non_blocking(true, ec);
  if (ec) return Error(errc::io_error, name + ": cannot watch line events: " + ec.message());
  std::unique_ptr<GpioEdgeReader> reader(new GpioEdgeReader(std::move(sd), std::move(name), std::move(handler)));
  reader->do_wait();
  return reader;
}

GpioEdgeReader::GpioEdgeReader(boost::asio::posix::stream_descriptor fd, std::string name, Handler handler)
    : fd_(std::move(fd)), name_(std::move(name)), handler_(std::move(handler)) {}

GpioEdgeReader::~GpioEdgeReader() {
  alive_.reset();
  boost::system::error_code ec;
  fd_.cancel(ec);
  fd_.close(ec);
}

void GpioEdgeReader::do_wait() {
  std::weak_ptr<char> alive = alive_;
  fd_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                 [this, alive](const boost::system::error_code& ec) {
                   if (alive.expired() || ec) return;
                   on_readable();
                 });
}

void GpioEdgeReader::on_readable() {
  gpiod_line_event batch[16];
  const int n = ::gpiod_line_event_read_fd_multiple(fd_.native_handle(), batch, 16);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      failed_ = true;
      log::get("gpio")->error("{}: reading line events failed, no more edges from it: {}", name_,
                              std::strerror(errno));
      return;
    }
  }
  const auto mono = now_ns(CLOCK_MONOTONIC);
  const auto real = now_ns(CLOCK_REALTIME);
  std::weak_ptr<char> alive = alive_;
  for (int i = 0; i < n; ++i) {
    ++events_;
    const auto ns = static_cast<std::int64_t>(batch[i].ts.tv_sec) * 1'000'000'000 + batch[i].ts.tv_nsec;
    handler_(batch[i].event_type == GPIOD_LINE_EVENT_RISING_EDGE, kernel_event_time(ns, mono, real));
    if (alive.expired()) return;  // the handler destroyed us
  }
  do_wait();
}

std::string GpioEdgeReader::dump() const {
  std::ostringstream os;
  os << "GpioEdgeReader{name=" << name_ << " events=" << events_ << " failed=" << failed_ << "}";
  return os.str();
}

}  // namespace portier::device::gpio
