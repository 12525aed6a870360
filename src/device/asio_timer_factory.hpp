#pragma once
// The Timer port on an io_context (asio::steady_timer). A cancelled, re-armed or destroyed timer never runs its old
// callback, even when its completion was already queued.
#include <memory>

#include <boost/asio/io_context.hpp>

#include "access/timer_factory.hpp"

namespace portier::device {

class AsioTimerFactory final : public access::TimerFactory {
 public:
  explicit AsioTimerFactory(boost::asio::io_context& io) : io_(io) {}
  std::unique_ptr<access::Timer> create_timer() override;

 private:
  boost::asio::io_context& io_;
};

}  // namespace portier::device
