#pragma once
// An open libgpiod (v1.6) chip and the lines requested from it. The chip must outlive every line requested from it
// (closing a chip frees its lines): LineRegistry keeps that order.
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "base/result.hpp"
#include "device/gpio/gpio_input_line.hpp"
#include "device/gpio/gpio_line_config.hpp"
#include "device/gpio/gpio_output_line.hpp"

struct gpiod_chip;

namespace portier::device::gpio {

class GpioChip {
 public:
  // Opens by name, path, label or number. errc::unavailable naming the chip when it is missing or not accessible.
  static Result<std::unique_ptr<GpioChip>> open(const std::string& name);
  ~GpioChip();
  GpioChip(const GpioChip&) = delete;
  GpioChip& operator=(const GpioChip&) = delete;

  // Requests `config.offset` as an output, initially inactive. `consumer` shows in gpioinfo ("portier").
  Result<std::unique_ptr<GpioOutputLine>> request_output(const GpioLineConfig& config, const std::string& consumer);
  // Requests it for both-edge events, read on `io`.
  Result<std::unique_ptr<GpioInputLine>> request_input(const GpioLineConfig& config, const std::string& consumer,
                                                       boost::asio::io_context& io);

  const std::string& name() const { return name_; }
  unsigned num_lines() const;
  std::string dump() const;

 private:
  GpioChip(::gpiod_chip* chip, std::string name) : chip_(chip), name_(std::move(name)) {}
  Result<struct ::gpiod_line*> line(const GpioLineConfig& config) const;
  Error request_error(const GpioLineConfig& config, struct ::gpiod_line* line, int err) const;

  ::gpiod_chip* chip_;
  std::string name_;
};

}  // namespace portier::device::gpio
