#include "access/door.hpp"

#include <sstream>

namespace portier::access {

Door::Door(DoorConfig config, OutputLine& relay, InputLine* contact, TimerFactory& timers, const Clock& clock,
           Listener& listener)
    : config_(std::move(config)),
      relay_(relay),
      clock_(clock),
      listener_(listener),
      relock_timer_(timers.create_timer()),
      left_open_timer_(timers.create_timer()) {
  if (config_.name.empty()) config_.name = config_.id;
  if (contact) contact_ = std::make_unique<LineDebouncer>(*contact, timers, config_.contact_bouncetime,
                                               static_cast<LineDebouncer::Listener&>(*this));
}

Door::~Door() = default;

Status Door::start() {
  relock_timer_->cancel();
  unlocked_ = false;
  relock_at_.reset();
  Status result = drive(false);
  if (contact_) {
    if (auto st = contact_->start(); !st) {
      contact_state_ = ContactState::none;
      Error e(st.error().code, "door '" + config_.id + "': contact line '" + contact_->line().name() +
                                   "': " + st.error().what());
      if (result) result = e;
    } else {
      contact_state_ = contact_->active() ? ContactState::open : ContactState::closed;
      // Open at start is not "forced" (no edge was seen) but it can still be left open.
      if (contact_state_ == ContactState::open && config_.left_open_after.count() > 0) {
        left_open_timer_->start(config_.left_open_after, [this] {
          left_open_ = true;
          listener_.on_door_left_open(*this);
        });
      }
    }
  }
  return result;
}

Status Door::drive(bool active) { return record_drive(relay_.set_active(active)); }

Status Door::record_drive(Status st) {
  if (!st) {
    fault_ = Error(st.error().code, "door '" + config_.id + "': relay line '" + relay_.name() + "': " +
                                        st.error().what());
    return *fault_;
  }
  fault_.reset();
  return {};
}

Result<Door::UnlockInfo> Door::unlock() { return finish_unlock(drive(true)); }

void Door::unlock_async(std::function<void()> answered, std::function<void(Result<UnlockInfo>)> done) {
  relay_.set_active_async(true, [this, answered = std::move(answered), done = std::move(done)](Status st) {
    answered();
    done(finish_unlock(record_drive(st)));
  });
}

Result<Door::UnlockInfo> Door::finish_unlock(Status driven) {
  if (auto st = driven; !st) {
    listener_.on_door_unlock_failed(*this, st.error());
    return st.error();
  }
  const bool extended = unlocked_;
  unlocked_ = true;
  relock_failing_ = false;
  if (config_.mode == DoorMode::pulse) {
    relock_at_ = clock_.steady_now() + config_.hold;
    relock_timer_->start(config_.hold, [this] { (void)lock(); });
  } else {
    relock_at_.reset();
    relock_timer_->cancel();  // a pending relock retry would undo this unlock
  }
  listener_.on_door_unlocked(*this, extended);
  return UnlockInfo{extended, relock_wall_time()};
}

Status Door::lock() {
  relock_timer_->cancel();
  if (auto st = drive(false); !st) {
    if (!relock_failing_) listener_.on_door_relock_failed(*this, st.error());
    relock_failing_ = true;
    relock_timer_->start(kRelockRetry, [this] { (void)lock(); });
    return st.error();
  }
  relock_failing_ = false;
  relock_at_.reset();
  if (unlocked_) {
    unlocked_ = false;
    listener_.on_door_relocked(*this);
  }
  return {};
}

void Door::on_line_debouncer_changed(LineDebouncer&, bool active) {
  if (active) {
    contact_opened();
  } else {
    contact_closed();
  }
}

void Door::contact_opened() {
  contact_state_ = ContactState::open;
  listener_.on_door_opened(*this);
  if (!unlocked_ && config_.forced_open_alarm) {
    forced_open_ = true;
    listener_.on_door_forced_open(*this);
  }
  if (config_.left_open_after.count() > 0) {
    left_open_timer_->start(config_.left_open_after, [this] {
      left_open_ = true;
      listener_.on_door_left_open(*this);
    });
  }
}

void Door::contact_closed() {
  contact_state_ = ContactState::closed;
  left_open_timer_->cancel();
  left_open_ = false;
  forced_open_ = false;
  listener_.on_door_closed(*this);
}

std::optional<Clock::SystemTime> Door::relock_wall_time() const {
  if (!relock_at_) return std::nullopt;
  const auto remaining = *relock_at_ - clock_.steady_now();
  return clock_.now() + std::chrono::duration_cast<Clock::SystemTime::duration>(remaining);
}

DoorSnapshot Door::snapshot() const {
  DoorSnapshot s;
  s.id = config_.id;
  s.name = config_.name;
  s.mode = config_.mode;
  s.unlocked = unlocked_;
  s.relock_at = relock_wall_time();
  s.contact = contact_state_;
  s.left_open = left_open_;
  s.forced_open = forced_open_;
  s.fault = fault_.has_value();
  if (fault_) s.fault_message = fault_->what();
  return s;
}

std::string Door::dump() const {
  std::ostringstream os;
  os << "Door{id=" << config_.id << " mode=" << to_string(config_.mode) << " relay=" << relay_.name()
     << " unlocked=" << unlocked_ << " contact=" << to_string(contact_state_) << " left_open=" << left_open_
     << " forced_open=" << forced_open_ << " relock_failing=" << relock_failing_;
  if (relock_at_) {
    os << " relock_in_ms="
       << std::chrono::duration_cast<std::chrono::milliseconds>(*relock_at_ - clock_.steady_now()).count();
  }
  if (fault_) os << " fault=\"" << fault_->what() << "\"";
  if (contact_) os << " " << contact_->dump();
  os << "}";
  return os.str();
}

}  // namespace portier::access
