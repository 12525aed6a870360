#include "access/door_service.hpp"

#include <memory>
#include <sstream>

#include "base/error.hpp"
#include "base/log.hpp"

namespace portier::access {

namespace {
const std::string kUnlock = "unlock";
const std::string kLock = "lock";
}  // namespace

DoorService::DoorService(AuditLog& audit, const PermissionPolicy& policy, TimerFactory& timers, const Clock& clock,
                         Listener& listener)
    : audit_(audit), policy_(policy), timers_(timers), clock_(clock), listener_(listener) {}

DoorService::~DoorService() = default;

Door* DoorService::find(std::string_view door_id) const {
  for (const auto& d : doors_) {
    if (d->id() == door_id) return d.get();
  }
  return nullptr;
}

Status DoorService::add_door(const DoorConfig& config, OutputLine& relay, InputLine* contact, InputLine* button) {
  if (auto st = validate(config); !st) return st;
  if (find(config.id)) return Error(errc::already_exists, "door '" + config.id + "' is defined twice");
  auto door = std::make_unique<Door>(config, relay, contact, timers_, clock_,
                                     static_cast<Door::Listener&>(*this));
  Door& added = *door;
  doors_.push_back(std::move(door));
  if (started_) {
    if (auto st = added.start(); !st) return st;
  }
  if (button) {
    CallButtonConfig bc{button->name(), config.id, config.button_bouncetime, config.page_throttle};
    return add_call_button(bc, button);
  }
  return {};
}

Status DoorService::add_call_button(const CallButtonConfig& config, InputLine* line) {
  Door* door = find(config.door);
  if (!door) return Error(errc::not_found, "call button '" + config.id + "': no door '" + config.door + "'");
  buttons_.push_back(std::make_unique<CallButton>(config, line, static_cast<CallButton::Listener&>(*this)));
  if (started_) buttons_.back()->start();
  return {};
}

Status DoorService::start() {
  Status first;
  for (auto& d : doors_) {
    if (auto st = d->start(); !st) {
      log::get("doors")->error("{}", st.error().what());
      if (first) first = st;
    }
  }
  for (auto& b : buttons_) b->start();
  started_ = true;
  return first;
}

Status DoorService::authorize(Door& door, const Actor& actor, AccessMethod method, const std::string& action) {
  auto allowed = policy_.allows(actor, door.id());
  if (!allowed) {
    Error e(errc::unavailable, "permissions unavailable: " + allowed.error().what());
    audit_failure(door, actor, method, action, e);
    emit_as(EventType::unlock_failed, door.id(), &actor, method, e.what());
    return e;
  }
  if (*allowed) return {};
  auto row = audit_.append(AuditEntry::from(actor, method, door.id(), action, AuditResult::denied));
  if (!row) log::get("doors")->error("audit of a denied {} of door '{}' failed: {}", action, door.id(), row.error().what());
  emit_as(EventType::unlock_denied, door.id(), &actor, method, action);
  return Error(errc::permission_denied, "'" + actor.name + "' may not " + action + " door '" + door.id() + "'");
}

void DoorService::audit_failure(Door& door, const Actor& actor, AccessMethod method, const std::string& action,
                                const Error& error) {
  auto row = audit_.append(AuditEntry::from(actor, method, door.id(), action, AuditResult::failed, error.what()));
  if (!row) {
    log::get("doors")->error("audit of a failed {} of door '{}' failed: {}", action, door.id(), row.error().what());
  }
}

void DoorService::unlock(std::string_view door_id, const Actor& actor, AccessMethod method, UnlockCallback done) {
  Door* door = find(door_id);
  if (!door) return done(Error(errc::not_found, "no door '" + std::string(door_id) + "'"));
  if (auto st = authorize(*door, actor, method, kUnlock); !st) return done(st.error());

  emit_as(EventType::unlock_requested, door->id(), &actor, method, {});
  auto row = audit_.append(AuditEntry::from(actor, method, door->id(), kUnlock, AuditResult::granted));
  if (!row) {
    Error e(errc::unavailable, "audit log unavailable, door '" + door->id() + "' not unlocked: " + row.error().what());
    log::get("doors")->error("{}", e.what());
    emit_as(EventType::unlock_failed, door->id(), &actor, method, e.what());
    return done(e);
  }

  // The relay may confirm later (a network device's ack): the callbacks share their own copy of the actor, and
  // `acting_` is set around the door's completion so that its events name who acted.
  const std::uint64_t seq = row->seq;
  auto who = std::make_shared<const Actor>(actor);
  door->unlock_async([this, who, method] { acting_ = Acting{who.get(), method}; },
                     [this, door, seq, who, method, done = std::move(done)](Result<Door::UnlockInfo> info) {
                       acting_ = Acting{};
                       if (!info) {
                         audit_failure(*door, *who, method, kUnlock, info.error());
                         return done(info.error());
                       }
                       done(UnlockReply{door->id(), info->extended, info->relock_at, seq});
                     });
}

void DoorService::lock(std::string_view door_id, const Actor& actor, AccessMethod method, LockCallback done) {
  Door* door = find(door_id);
  if (!door) return done(Error(errc::not_found, "no door '" + std::string(door_id) + "'"));
  if (auto st = authorize(*door, actor, method, kLock); !st) return done(st.error());

  auto row = audit_.append(AuditEntry::from(actor, method, door->id(), kLock, AuditResult::granted));
  if (!row) {
    return done(Error(errc::unavailable, "audit log unavailable, door '" + door->id() + "' not locked: " +
                                             row.error().what()));
  }
  acting_ = Acting{&actor, method};
  auto st = door->lock();  // emits relocked or relock_failed (and keeps retrying)
  acting_ = Acting{};
  if (!st) {
    audit_failure(*door, actor, method, kLock, st.error());
    return done(st.error());
  }
  done(LockReply{door->id(), row->seq});
}

CallButton* DoorService::button_for(std::string_view door_id) {
  for (auto& b : buttons_) {
    if (b->config().door == door_id) return b.get();
  }
  Door* door = find(door_id);
  if (!door) return nullptr;
  const auto& c = door->config();
  CallButtonConfig bc{c.id + ".network", c.id, c.button_bouncetime, c.page_throttle};
  buttons_.push_back(std::make_unique<CallButton>(bc, nullptr, static_cast<CallButton::Listener&>(*this)));
  return buttons_.back().get();
}

Result<bool> DoorService::ring(std::string_view door_id, const Actor& actor, AccessMethod method) {
  CallButton* button = button_for(door_id);
  if (!button) return Error(errc::not_found, "no door '" + std::string(door_id) + "'");
  acting_ = Acting{&actor, method};
  const bool rang = button->press(clock_.steady_now());
  acting_ = Acting{};
  return rang;
}

std::vector<DoorSnapshot> DoorService::doors() const {
  std::vector<DoorSnapshot> out;
  out.reserve(doors_.size());
  for (const auto& d : doors_) out.push_back(d->snapshot());
  return out;
}

Result<DoorSnapshot> DoorService::door(std::string_view door_id) const {
  if (Door* d = find(door_id)) return d->snapshot();
  return Error(errc::not_found, "no door '" + std::string(door_id) + "'");
}

Result<std::vector<DoorSnapshot>> DoorService::doors_for(const Actor& actor) const {
  std::vector<DoorSnapshot> out;
  for (const auto& d : doors_) {
    auto ok = policy_.allows(actor, d->id());
    if (!ok) return ok.error();
    if (*ok) out.push_back(d->snapshot());
  }
  return out;
}

std::vector<DoorService::ButtonSnapshot> DoorService::call_buttons() const {
  std::vector<ButtonSnapshot> out;
  for (const auto& b : buttons_) out.push_back({b->config(), b->stats(), b->has_line()});
  return out;
}

void DoorService::emit_as(EventType type, const std::string& door, const Actor* actor, AccessMethod method,
                          std::string detail) {
  Event e;
  e.type = type;
  e.door = door;
  e.time = clock_.now();
  if (actor) {
    e.actor = actor->name;
    e.method = std::string(to_string(method));
  }
  e.detail = std::move(detail);
  listener_.on_door_event(e);
}

void DoorService::emit(EventType type, const Door& door, std::string detail,
                       std::optional<Clock::SystemTime> relock_at) {
  Event e;
  e.type = type;
  e.door = door.id();
  e.time = clock_.now();
  if (acting_.actor) {
    e.actor = acting_.actor->name;
    e.method = std::string(to_string(acting_.method));
  }
  e.detail = std::move(detail);
  e.relock_at = relock_at;
  listener_.on_door_event(e);
}

void DoorService::on_door_unlocked(Door& door, bool extended) {
  emit(EventType::unlocked, door, extended ? "extended" : "", door.snapshot().relock_at);
}
void DoorService::on_door_relocked(Door& door) { emit(EventType::relocked, door); }
void DoorService::on_door_unlock_failed(Door& door, const Error& error) {
  emit(EventType::unlock_failed, door, error.what());
}
void DoorService::on_door_relock_failed(Door& door, const Error& error) {
  log::get("doors")->error("{} (retrying)", error.what());
  emit(EventType::relock_failed, door, error.what());
}
void DoorService::on_door_opened(Door& door) { emit(EventType::door_opened, door); }
void DoorService::on_door_closed(Door& door) { emit(EventType::door_closed, door); }
void DoorService::on_door_left_open(Door& door) { emit(EventType::door_left_open, door); }
void DoorService::on_door_forced_open(Door& door) { emit(EventType::forced_open, door); }

void DoorService::on_call_button_ring(CallButton& button) {
  if (Door* door = find(button.config().door)) emit(EventType::ring, *door, button.config().id);
}

std::string DoorService::dump() const {
  std::ostringstream os;
  os << "DoorService{started=" << started_ << " doors=" << doors_.size() << " buttons=" << buttons_.size();
  for (const auto& d : doors_) os << " " << d->dump();
  for (const auto& b : buttons_) os << " " << b->dump();
  os << " " << audit_.dump() << "}";
  return os.str();
}

}  // namespace portier::access
