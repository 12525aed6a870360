#pragma once
// One door: drives its relay line, watches its optional contact, relocks on time and raises the left-open and
// forced-open alarms. It knows nothing about who asked: permissions and audit live in DoorService, which owns the
// doors and implements Door::Listener. The lines are owned by the device adapters and must outlive the door.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "access/door_config.hpp"
#include "access/door_snapshot.hpp"
#include "access/line_debouncer.hpp"
#include "access/line_input.hpp"
#include "access/line_output.hpp"
#include "access/timer_factory.hpp"
#include "base/clock.hpp"
#include "base/result.hpp"

namespace portier::access {

class Door final : private LineDebouncer::Listener {
 public:
  // Called on the io thread, possibly from inside unlock()/lock().
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_door_unlocked(Door& door, bool extended) = 0;
    virtual void on_door_relocked(Door& door) = 0;
    virtual void on_door_unlock_failed(Door& door, const Error& error) = 0;
    virtual void on_door_relock_failed(Door& door, const Error& error) = 0;  // retried every kRelockRetry
    virtual void on_door_opened(Door& door) = 0;
    virtual void on_door_closed(Door& door) = 0;
    virtual void on_door_left_open(Door& door) = 0;
    virtual void on_door_forced_open(Door& door) = 0;
  };

  struct UnlockInfo {
    bool extended = false;                       // the door was already unlocked; the hold restarted
    std::optional<Clock::SystemTime> relock_at;  // pulse doors
  };

  static constexpr std::chrono::milliseconds kRelockRetry{1000};

  // `config` must have passed validate(). `contact` may be null (no door contact).
  Door(DoorConfig config, OutputLine& relay, InputLine* contact, TimerFactory& timers, const Clock& clock,
       Listener& listener);
  ~Door() override;
  Door(const Door&) = delete;
  Door& operator=(const Door&) = delete;

  // Drives the relay to locked (relay state survives nothing) and reads the contact. On error the door keeps
  // working as far as it can; the error names the door and the line.
  Status start();
  // Drives the relay active. Pulse doors relock after `hold`; a second unlock meanwhile extends the hold.
  Result<UnlockInfo> unlock();
  // The same, for relays that confirm later (network devices): `done` runs when the relay confirmed or failed. The
  // door must outlive the callback (the line's owner drops pending callbacks when it goes away). `answered` runs
  // first, before the door reports unlocked/unlock_failed to its listener (the service restores who acted).
  void unlock_async(std::function<void()> answered, std::function<void(Result<UnlockInfo>)> done);
  // Drives the relay inactive now (hold and lock modes; relocks a pulse door early). On failure it keeps retrying.
  Status lock();

  const std::string& id() const { return config_.id; }
  const std::string& name() const { return config_.name; }
  const DoorConfig& config() const { return config_; }
  bool unlocked() const { return unlocked_; }
  DoorSnapshot snapshot() const;
  std::string dump() const;

 private:
  void on_line_debouncer_changed(LineDebouncer& debouncer, bool active) override;
  Status drive(bool active);
  Status record_drive(Status st);
  Result<UnlockInfo> finish_unlock(Status driven);
  void contact_opened();
  void contact_closed();
  std::optional<Clock::SystemTime> relock_wall_time() const;

  DoorConfig config_;
  OutputLine& relay_;
  const Clock& clock_;
  Listener& listener_;
  std::unique_ptr<LineDebouncer> contact_;  // null without a contact line
  std::unique_ptr<Timer> relock_timer_;     // pulse relock, and relock retries
  std::unique_ptr<Timer> left_open_timer_;
  bool unlocked_ = false;
  std::optional<Clock::SteadyTime> relock_at_;
  ContactState contact_state_ = ContactState::none;
  bool left_open_ = false;
  bool forced_open_ = false;
  bool relock_failing_ = false;
  std::optional<Error> fault_;
};

}  // namespace portier::access
