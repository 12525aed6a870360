#include "device/asio_timer_factory.hpp"

#include <cstdint>

#include <boost/asio/steady_timer.hpp>

namespace portier::device {
namespace {

class AsioTimer final : public access::Timer {
 public:
  explicit AsioTimer(boost::asio::io_context& io) : timer_(io) {}
  ~AsioTimer() override {
    state_.reset();  // queued completions see the state gone
    timer_.cancel();
  }

  void start(std::chrono::milliseconds delay, Callback callback) override {
    const auto generation = ++state_->generation;
    state_->armed = true;
    state_->callback = std::move(callback);
    timer_.expires_after(delay);
    std::weak_ptr<State> weak = state_;
    timer_.async_wait([weak, generation](const boost::system::error_code& ec) {
      auto state = weak.lock();
      if (!state || ec || !state->armed || state->generation != generation) return;
      state->armed = false;
      auto cb = std::move(state->callback);
      state->callback = nullptr;
      if (cb) cb();  // may re-arm, cancel or destroy the timer; `state` stays valid meanwhile
    });
  }

  void cancel() override {
    ++state_->generation;
    state_->armed = false;
    state_->callback = nullptr;
    timer_.cancel();
  }

  bool pending() const override { return state_->armed; }

 private:
  struct State {
    std::uint64_t generation = 0;
    bool armed = false;
    Callback callback;
  };
  boost::asio::steady_timer timer_;
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace

std::unique_ptr<access::Timer> AsioTimerFactory::create_timer() { return std::make_unique<AsioTimer>(io_); }

}  // namespace portier::device
