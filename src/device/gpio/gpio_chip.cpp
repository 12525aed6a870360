#include "device/gpio/gpio_chip.hpp"

#include <gpiod.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/error.hpp"

namespace portier::device::gpio {

Result<std::unique_ptr<GpioChip>> GpioChip::open(const std::string& name) {
  if (name.empty()) return Error(errc::invalid_argument, "gpio chip name is empty");
  errno = 0;
  ::gpiod_chip* chip = ::gpiod_chip_open_lookup(name.c_str());
  if (!chip) {
    const int err = errno ? errno : ENOENT;
    return Error(errc::unavailable, "gpio chip '" + name + "' cannot be opened: " + std::strerror(err));
  }
  return std::unique_ptr<GpioChip>(new GpioChip(chip, name));
}

GpioChip::~GpioChip() { ::gpiod_chip_close(chip_); }

unsigned GpioChip::num_lines() const { return ::gpiod_chip_num_lines(chip_); }

Result<::gpiod_line*> GpioChip::line(const GpioLineConfig& config) const {
  if (config.offset >= num_lines()) {
    return Error(errc::invalid_argument, describe(config) + ": no such line (the chip has " +
                                             std::to_string(num_lines()) + " lines)");
  }
  ::gpiod_line* l = ::gpiod_chip_get_line(chip_, config.offset);
  if (!l) return Error(errc::io_error, describe(config) + ": " + std::strerror(errno));
  return l;
}

Error GpioChip::request_error(const GpioLineConfig& config, ::gpiod_line* l, int err) const {
  std::string msg = describe(config) + ": cannot request: " + std::strerror(err);
  if (err == EBUSY) {
    ::gpiod_line_update(l);
    if (const char* consumer = ::gpiod_line_consumer(l)) msg += " (in use by '" + std::string(consumer) + "')";
    return Error(errc::conflict, msg);
  }
  return Error(errc::io_error, msg);
}

Result<std::unique_ptr<GpioOutputLine>> GpioChip::request_output(const GpioLineConfig& config,
                                                                 const std::string& consumer) {
  auto l = line(config);
  if (!l) return l.error();
  if (::gpiod_line_request_output_flags(*l, consumer.c_str(), request_flags(config), 0) < 0) {
    return request_error(config, *l, errno);
  }
  return std::make_unique<GpioOutputLine>(*l, config);
}

Result<std::unique_ptr<GpioInputLine>> GpioChip::request_input(const GpioLineConfig& config,
                                                               const std::string& consumer,
                                                               boost::asio::io_context& io) {
  auto l = line(config);
  if (!l) return l.error();
  if (::gpiod_line_request_both_edges_events_flags(*l, consumer.c_str(), request_flags(config)) < 0) {
    return request_error(config, *l, errno);
  }
  return GpioInputLine::create(*l, config, io);
}

std::string GpioChip::dump() const {
  std::ostringstream os;
  os << "GpioChip{name=" << name_ << " label=" << ::gpiod_chip_label(chip_) << " lines=" << num_lines() << "}";
  return os.str();
}

}  // namespace portier::device::gpio
