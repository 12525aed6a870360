#pragma once
// A requested libgpiod input line with both-edge events. Edges are read on the io_context (GpioEdgeReader) and
// handed to the listener with the kernel's timestamp. Must be destroyed before its GpioChip.
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "access/line_input.hpp"
#include "device/gpio/gpio_edge_reader.hpp"
#include "device/gpio/gpio_line_config.hpp"

struct gpiod_line;

namespace portier::device::gpio {

class GpioInputLine final : public access::InputLine {
 public:
  // Takes a line already requested for both-edge events; starts reading its events on `io`.
  static Result<std::unique_ptr<GpioInputLine>> create(::gpiod_line* line, GpioLineConfig config,
                                                       boost::asio::io_context& io);
  ~GpioInputLine() override;
  GpioInputLine(const GpioInputLine&) = delete;
  GpioInputLine& operator=(const GpioInputLine&) = delete;

  void set_listener(Listener* listener) override { listener_ = listener; }
  Result<bool> read() const override;
  const std::string& name() const override { return name_; }
  std::string dump() const;

 private:
  GpioInputLine(::gpiod_line* line, GpioLineConfig config);
  void on_edge(bool active, Clock::SteadyTime when);

  ::gpiod_line* line_;
  GpioLineConfig config_;
  std::string name_;
  std::unique_ptr<GpioEdgeReader> reader_;
  Listener* listener_ = nullptr;
};

}  // namespace portier::device::gpio
