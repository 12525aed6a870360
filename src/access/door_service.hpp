#pragma once
// The doors use case: owns every Door and CallButton, checks permissions, audits, and turns what the doors and
// buttons report into Events. The API, CLI and (later) DTMF and guest-pass code call it; the app builds it, adds the
// doors with the lines it resolved from config, and implements Listener to feed the event bus.
//
// Unlock flow (audit before the relay moves):
//   unknown door -> errc::not_found, nothing audited;
//   permission store down -> audited `failed`, errc::unavailable;
//   not permitted -> audited `denied`, event unlock_denied, errc::permission_denied;
//   permitted -> event unlock_requested, audit row `granted` written FIRST (if that fails: event unlock_failed,
//   errc::unavailable, the relay does not move), then the relay moves -> event unlocked and the callback gets the
//   reply; later event relocked. A driver failure -> audited `failed`, event unlock_failed, the driver's Error.
// Everything runs on the io thread; callbacks may run before unlock()/lock() return.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/audit_actor.hpp"
#include "access/audit_log.hpp"
#include "access/call_button.hpp"
#include "access/door.hpp"
#include "access/event.hpp"
#include "access/permission_policy.hpp"

namespace portier::access {

class DoorService final : private Door::Listener, private CallButton::Listener {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_door_event(const Event& event) = 0;
  };

  struct UnlockReply {
    std::string door;
    bool extended = false;
    std::optional<Clock::SystemTime> relock_at;
    std::uint64_t audit_seq = 0;
  };
  struct LockReply {
    std::string door;
    std::uint64_t audit_seq = 0;
  };
  struct ButtonSnapshot {
    CallButtonConfig config;
    CallButtonStats stats;
    bool has_line = false;
  };
  using UnlockCallback = std::function<void(Result<UnlockReply>)>;
  using LockCallback = std::function<void(Result<LockReply>)>;

  // Every reference must outlive the service.
  DoorService(AuditLog& audit, const PermissionPolicy& policy, TimerFactory& timers, const Clock& clock,
              Listener& listener);
  ~DoorService() override;
  DoorService(const DoorService&) = delete;
  DoorService& operator=(const DoorService&) = delete;

  // Adds a door (config validated here too). `contact` and `button` may be null; the lines must outlive the service.
  // A button line becomes the door's call button with the door's bouncetime and throttle.
  Status add_door(const DoorConfig& config, OutputLine& relay, InputLine* contact, InputLine* button);
  // Adds another button or station for a door (`line` null: presses come only through ring()).
  Status add_call_button(const CallButtonConfig& config, InputLine* line);
  // Drives every relay locked, reads contacts, starts buttons. Every door is started; the first error is returned.
  Status start();

  void unlock(std::string_view door_id, const Actor& actor, AccessMethod method, UnlockCallback done);
  // Relocks now (hold and lock modes; ends a pulse early). Same permission and audit rules as unlock.
  void lock(std::string_view door_id, const Actor& actor, AccessMethod method, LockCallback done);
  // A press reported over the network (POST /api/doors/{id}/ring): counted and throttled with the door's first
  // button (a line-less one is created on first use). Returns whether it rang.
  Result<bool> ring(std::string_view door_id, const Actor& actor, AccessMethod method);

  std::vector<DoorSnapshot> doors() const;
  Result<DoorSnapshot> door(std::string_view door_id) const;
  // The doors an actor may open (the doors page shows only these).
  Result<std::vector<DoorSnapshot>> doors_for(const Actor& actor) const;
  std::vector<ButtonSnapshot> call_buttons() const;
  std::string dump() const;

 private:
  struct Acting {
    const Actor* actor = nullptr;
    AccessMethod method = AccessMethod::internal;
  };

  Door* find(std::string_view door_id) const;
  CallButton* button_for(std::string_view door_id);
  // Permission check shared by unlock and lock; returns an Error (already audited and emitted) when not allowed.
  Status authorize(Door& door, const Actor& actor, AccessMethod method, const std::string& action);
  void audit_failure(Door& door, const Actor& actor, AccessMethod method, const std::string& action,
                     const Error& error);
  void emit(EventType type, const Door& door, std::string detail = {},
            std::optional<Clock::SystemTime> relock_at = std::nullopt);
  void emit_as(EventType type, const std::string& door, const Actor* actor, AccessMethod method, std::string detail);

  void on_door_unlocked(Door& door, bool extended) override;
  void on_door_relocked(Door& door) override;
  void on_door_unlock_failed(Door& door, const Error& error) override;
  void on_door_relock_failed(Door& door, const Error& error) override;
  void on_door_opened(Door& door) override;
  void on_door_closed(Door& door) override;
  void on_door_left_open(Door& door) override;
  void on_door_forced_open(Door& door) override;
  void on_call_button_ring(CallButton& button) override;

  AuditLog& audit_;
  const PermissionPolicy& policy_;
  TimerFactory& timers_;
  const Clock& clock_;
  Listener& listener_;
  std::vector<std::unique_ptr<Door>> doors_;          // config order
  std::vector<std::unique_ptr<CallButton>> buttons_;  // after the doors: destroyed first
  Acting acting_;  // who is behind the door call in progress, for the events it emits
  bool started_ = false;
};

}  // namespace portier::access
