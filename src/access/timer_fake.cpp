#include "access/timer_fake.hpp"

#include <sstream>

namespace portier::access {
namespace {

class FakeTimer final : public Timer {
 public:
  FakeTimer(FakeTimers& owner, std::uint64_t id) : owner_(owner), id_(id) {}
  ~FakeTimer() override { owner_.remove(id_); }

  void start(std::chrono::milliseconds delay, Callback callback) override {
    auto& s = owner_.slot(id_);
    s.armed = true;
    s.deadline = owner_.clock().steady_now() + delay;
    s.order = owner_.next_order();
    s.callback = std::move(callback);
  }
  void cancel() override {
    auto& s = owner_.slot(id_);
    s.armed = false;
    s.callback = nullptr;
  }
  bool pending() const override { return owner_.slot(id_).armed; }

 private:
  FakeTimers& owner_;
  std::uint64_t id_;
};

}  // namespace

std::unique_ptr<Timer> FakeTimers::create_timer() {
  const auto id = ++next_id_;
  slots_.emplace(id, Slot{});
  return std::make_unique<FakeTimer>(*this, id);
}

std::optional<std::uint64_t> FakeTimers::next_due(Clock::SteadyTime limit) const {
  std::optional<std::uint64_t> best;
  for (const auto& [id, s] : slots_) {
    if (!s.armed || s.deadline > limit) continue;
    if (!best) {
      best = id;
      continue;
    }
    const auto& b = slots_.at(*best);
    if (s.deadline < b.deadline || (s.deadline == b.deadline && s.order < b.order)) best = id;
  }
  return best;
}

void FakeTimers::advance(std::chrono::nanoseconds d) {
  const auto target = clock_.steady_now() + d;
  while (auto id = next_due(target)) {
    auto& s = slots_.at(*id);
    if (s.deadline > clock_.steady_now()) clock_.advance(s.deadline - clock_.steady_now());
    s.armed = false;
    auto callback = std::move(s.callback);
    s.callback = nullptr;
    ++fired_;
    if (callback) callback();  // may create, re-arm or destroy timers; `s` may be gone now
  }
  if (target > clock_.steady_now()) clock_.advance(target - clock_.steady_now());
}

std::size_t FakeTimers::pending_count() const {
  std::size_t n = 0;
  for (const auto& [id, s] : slots_) n += s.armed ? 1 : 0;
  return n;
}

std::string FakeTimers::dump() const {
  std::ostringstream os;
  os << "FakeTimers{timers=" << slots_.size() << " pending=" << pending_count() << " fired=" << fired_ << "}";
  return os.str();
}

}  // namespace portier::access
