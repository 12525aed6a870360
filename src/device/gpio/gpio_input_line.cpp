#include "device/gpio/gpio_input_line.hpp"

#include <gpiod.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/error.hpp"

namespace portier::device::gpio {

GpioInputLine::GpioInputLine(::gpiod_line* line, GpioLineConfig config) : line_(line), config_(std::move(config)) {
  name_ = config_.label.empty() ? config_.chip + ":" + std::to_string(config_.offset) : config_.label;
}

Result<std::unique_ptr<GpioInputLine>> GpioInputLine::create(::gpiod_line* line, GpioLineConfig config,
                                                             boost::asio::io_context& io) {
  std::unique_ptr<GpioInputLine> self(new GpioInputLine(line, std::move(config)));
  const int fd = ::gpiod_line_event_get_fd(line);
  if (fd < 0) {
    ::gpiod_line_release(line);
    self->line_ = nullptr;
    return Error(errc::io_error, describe(self->config_) + ": no event fd: " + std::strerror(errno));
  }
  GpioInputLine* raw = self.get();
  auto reader = GpioEdgeReader::create(io, fd, describe(self->config_),
                                       [raw](bool active, Clock::SteadyTime when) { raw->on_edge(active, when); });
  if (!reader) return reader.error();  // the destructor releases the line
  self->reader_ = std::move(*reader);
  return self;
}

GpioInputLine::~GpioInputLine() {
  reader_.reset();  // stop reading before the fd goes away with the line
  if (line_) ::gpiod_line_release(line_);
}

Result<bool> GpioInputLine::read() const {
  const int v = ::gpiod_line_get_value(line_);
  if (v < 0) return Error(errc::io_error, describe(config_) + ": cannot read value: " + std::strerror(errno));
  return v != 0;
}

void GpioInputLine::on_edge(bool active, Clock::SteadyTime when) {
  if (listener_) listener_->on_line_edge(*this, access::LineEdge{active, when});
}

std::string GpioInputLine::dump() const {
  std::ostringstream os;
  os << "GpioInputLine{" << describe(config_) << " active_low=" << config_.active_low
     << " bias=" << to_string(config_.bias) << " " << (reader_ ? reader_->dump() : "no reader") << "}";
  return os.str();
}

}  // namespace portier::device::gpio
