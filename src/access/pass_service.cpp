#include "access/pass_service.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "base/random.hpp"
#include "base/strings.hpp"

namespace portier::access {
namespace {

constexpr std::size_t kMaxLabel = 100;
constexpr std::size_t kMaxNote = 1000;
constexpr int kMaxUses = 100000;
constexpr std::size_t kMaxWindows = 14;

Error invalid(std::string message) { return Error(errc::invalid_argument, std::move(message)); }

bool may_manage(const Actor& actor, const GuestPass& pass) {
  return actor.admin || (!actor.user_id.empty() && actor.user_id == pass.created_by);
}

Actor pass_actor(const GuestPass& pass) {
  Actor a;
  a.kind = ActorKind::pass;
  a.id = std::to_string(pass.id);
  a.name = pass.label;
  a.scope = pass.doors;
  return a;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

}  // namespace

PassService::PassService(GuestPassRepository& repository, DoorService& doors, AuditLog& audit,
                         const SiteTimeZone& zone, const Clock& clock, DoorService::Listener& events,
                         PassOptions options)
    : repository_(repository),
      doors_(doors),
      audit_(audit),
      zone_(zone),
      clock_(clock),
      events_(events),
      options_(options),
      per_ip_(options.per_ip, clock),
      per_token_(options.per_token, clock) {}

Status PassService::check_draft(const Actor& host, GuestPass& pass, const PassDraft& draft, bool creating) {
  if (draft.label) pass.label = std::string(trim(*draft.label));
  if (pass.label.empty()) return invalid("label: required (the guest's name)");
  if (pass.label.size() > kMaxLabel) return invalid("label: at most 100 characters");
  if (draft.note) pass.note = *draft.note;
  if (pass.note.size() > kMaxNote) return invalid("note: at most 1000 characters");

  auto permitted = doors_.doors_for(host);
  if (!permitted) return permitted.error();
  if (draft.doors) {
    std::vector<std::string> wanted;
    for (const auto& d : *draft.doors)
      if (std::find(wanted.begin(), wanted.end(), d) == wanted.end()) wanted.push_back(d);
    pass.doors = std::move(wanted);
  } else if (creating && permitted->size() == 1) {
    pass.doors = {permitted->front().id};
  }
  if (pass.doors.empty()) return invalid("doors: name at least one door");
  for (const auto& d : pass.doors) {
    if (!doors_.door(d)) return Error(errc::not_found, "doors: no such door '" + d + "'");
    const bool allowed = std::any_of(permitted->begin(), permitted->end(), [&](const auto& s) { return s.id == d; });
    if (!allowed) return Error(errc::permission_denied, "doors: you may not open '" + d + "' yourself");
  }

  const auto now = clock_.now();
  if (draft.valid_from) pass.valid_from = *draft.valid_from;
  else if (creating) pass.valid_from = now;
  if (draft.valid_until) pass.valid_until = *draft.valid_until;
  else if (creating) pass.valid_until = pass.valid_from + options_.default_validity;
  if (pass.valid_until <= pass.valid_from) return invalid("valid_until: must be after valid_from");
  if (creating && pass.valid_until <= now) return invalid("valid_until: must be in the future");
  if (pass.valid_until - pass.valid_from > std::chrono::days{5 * 366})
    return invalid("valid_until: a pass lasts at most 5 years");

  if (draft.schedule) pass.schedule = *draft.schedule;
  if (pass.schedule.size() > kMaxWindows) return invalid("schedule: at most 14 windows");
  for (const auto& w : pass.schedule) {
    if (w.days == 0 || w.days > 0x7f) return invalid("schedule: each window needs at least one day");
    if (w.from_minute < 0 || w.from_minute >= 24 * 60 || w.to_minute < 0 || w.to_minute > 24 * 60)
      return invalid("schedule: times must be between 00:00 and 24:00");
  }
  if (draft.set_max_uses) pass.max_uses = draft.max_uses;
  if (pass.max_uses && (*pass.max_uses < 1 || *pass.max_uses > kMaxUses))
    return invalid("max_uses: 1 .. 100000, or null for unlimited");
  if (draft.pin) {
    if (draft.pin->empty()) {
      pass.pin_hash.clear();
    } else {
      if (auto st = validate_pin(*draft.pin); !st) return st;
      pass.pin_hash = hash_pin(*draft.pin);
    }
  }
  return {};
}

Result<PassService::Created> PassService::create(const Actor& host, AccessMethod method, const PassDraft& draft) {
  GuestPass pass;
  if (auto st = check_draft(host, pass, draft, true); !st) return st.error();
  Created out;
  out.token = random_token(32);  // 256 bits
  pass.token_hash = sha256_hex(out.token);
  pass.created_by = host.user_id;
  pass.created_by_name = host.name;
  pass.created_at = clock_.now();
  auto stored = repository_.insert(pass);
  if (!stored) return stored.error();
  out.pass = std::move(*stored);
  std::string detail = "doors " + join(out.pass.doors) + ", " + zone_.format(out.pass.valid_from) + " -> " +
                       zone_.format(out.pass.valid_until);
  if (out.pass.max_uses) detail += ", " + std::to_string(*out.pass.max_uses) + " uses";
  if (out.pass.has_pin()) detail += ", PIN";
  audit_host(host, method, out.pass, "pass_create", detail);
  emit(EventType::pass_created, "", host.name, std::string(to_string(method)),
       "pass " + std::to_string(out.pass.id) + " for " + out.pass.label);
  return out;
}

Result<std::vector<GuestPass>> PassService::list(const Actor& viewer) {
  auto all = repository_.list();
  if (!all) return all.error();
  if (viewer.admin) return all;
  std::vector<GuestPass> mine;
  for (auto& p : *all)
    if (may_manage(viewer, p)) mine.push_back(std::move(p));
  return mine;
}

Result<GuestPass> PassService::owned(const Actor& actor, std::int64_t id) {
  auto found = repository_.find(id);
  if (!found) return found.error();
  // Someone else's pass looks like no pass at all.
  if (!*found || !may_manage(actor, **found)) return Error(errc::not_found, "no such pass");
  return std::move(**found);
}

Result<GuestPass> PassService::get(const Actor& viewer, std::int64_t id) { return owned(viewer, id); }

Result<GuestPass> PassService::update(const Actor& host, AccessMethod method, std::int64_t id,
                                      const PassDraft& draft) {
  auto pass = owned(host, id);
  if (!pass) return pass;
  if (pass->revoked_at) return Error(errc::conflict, "the pass is revoked; create a new one");
  if (auto st = check_draft(host, *pass, draft, false); !st) return st.error();
  if (auto st = repository_.update(*pass); !st) return st.error();
  audit_host(host, method, *pass, "pass_edit",
             "doors " + join(pass->doors) + ", " + zone_.format(pass->valid_from) + " -> " +
                 zone_.format(pass->valid_until));
  return owned(host, id);
}

Result<GuestPass> PassService::revoke(const Actor& host, AccessMethod method, std::int64_t id) {
  auto pass = owned(host, id);
  if (!pass) return pass;
  if (pass->revoked_at) return pass;  // revoking twice changes nothing
  if (auto st = repository_.revoke(id, clock_.now()); !st) return st.error();
  audit_host(host, method, *pass, "pass_revoke", "");
  emit(EventType::pass_revoked, "", host.name, std::string(to_string(method)),
       "pass " + std::to_string(id) + " for " + pass->label);
  return owned(host, id);
}

Status PassService::remove(const Actor& host, AccessMethod method, std::int64_t id) {
  auto pass = owned(host, id);
  if (!pass) return pass.error();
  if (auto st = repository_.remove(id); !st) return st;
  audit_host(host, method, *pass, "pass_delete", "");
  if (!pass->revoked_at)
    emit(EventType::pass_revoked, "", host.name, std::string(to_string(method)),
         "pass " + std::to_string(id) + " for " + pass->label + " deleted");
  return {};
}

Result<PassService::Created> PassService::new_link(const Actor& host, AccessMethod method, std::int64_t id) {
  auto pass = owned(host, id);
  if (!pass) return pass.error();
  if (pass->revoked_at) return Error(errc::conflict, "the pass is revoked; create a new one");
  Created out;
  out.token = random_token(32);
  if (auto st = repository_.set_token_hash(id, sha256_hex(out.token)); !st) return st.error();
  audit_host(host, method, *pass, "pass_new_link", "the previous link no longer works");
  auto fresh = owned(host, id);
  if (!fresh) return fresh.error();
  out.pass = std::move(*fresh);
  return out;
}

std::vector<PassService::DoorName> PassService::door_names(const GuestPass& pass) const {
  std::vector<DoorName> out;
  for (const auto& id : pass.doors)
    if (auto d = doors_.door(id)) out.push_back({d->id, d->name});
  return out;
}

Result<PassService::Lookup> PassService::lookup(std::string_view token, std::string_view client_ip) {
  Lookup l;
  if (!per_ip_.allow(client_ip)) {
    l.rate_limited = true;
    l.retry_after = per_ip_.retry_after(client_ip);
    return l;
  }
  // Unknown and revoked links take exactly this path too: the same hashing, query and limits.
  const auto hash = sha256_hex(token);
  auto found = repository_.find_by_token_hash(hash);
  if (!found) return found.error();
  if (!per_token_.allow(hash)) {
    l.rate_limited = true;
    l.retry_after = per_token_.retry_after(hash);
    return l;
  }
  l.pass = std::move(*found);
  return l;
}

Result<PassService::GuestView> PassService::view(std::string_view token, std::string_view client_ip) {
  auto l = lookup(token, client_ip);
  if (!l) return l.error();
  GuestView v;
  if (l->rate_limited) {
    v.denial = PassDenial::rate_limited;
    v.retry_after = l->retry_after;
    return v;
  }
  if (!l->pass || l->pass->revoked_at) {
    v.denial = PassDenial::invalid;
    return v;
  }
  v.pass = std::move(l->pass);
  v.denial = validity_denial(*v.pass, zone_, clock_.now());
  if (v.denial == PassDenial::none && v.pass->pin_locked_until && *v.pass->pin_locked_until > clock_.now()) {
    v.denial = PassDenial::pin_locked;
    v.retry_after = static_cast<int>(
        std::chrono::duration_cast<std::chrono::seconds>(*v.pass->pin_locked_until - clock_.now()).count() + 1);
  }
  v.doors = door_names(*v.pass);
  return v;
}

void PassService::deny(const GuestPass* pass, std::string_view door, PassDenial denial, OpenCallback& done,
                       int retry) {
  AuditEntry e;
  e.actor_kind = ActorKind::pass;
  e.actor_id = pass ? std::to_string(pass->id) : "";
  e.actor_name = pass && !pass->revoked_at ? pass->label : "unknown link";
  e.method = AccessMethod::pass;
  e.door = std::string(door.substr(0, 64));
  e.action = "unlock";
  e.result = AuditResult::denied;
  e.detail = std::string(to_string(denial));
  if (pass && pass->revoked_at) e.detail += " (revoked pass " + std::to_string(pass->id) + ")";
  (void)audit_.append(e);  // a store that is down must not turn a denial into an open door
  emit(EventType::pass_denied, e.door, e.actor_name, "pass", std::string(to_string(denial)));
  OpenResult r;
  r.denial = denial;
  r.retry_after = retry;
  if (pass && !pass->revoked_at) r.pass = *pass;
  done(std::move(r));
}

void PassService::open(std::string_view token, std::string_view door, std::string_view pin,
                       std::string_view client_ip, OpenCallback done) {
  auto l = lookup(token, client_ip);
  if (!l || l->rate_limited) {
    OpenResult r;
    if (!l) r.error = l.error();
    else r.denial = PassDenial::rate_limited;
    r.retry_after = l ? l->retry_after : 0;
    return done(std::move(r));
  }
  if (!l->pass || l->pass->revoked_at) return deny(l->pass ? &*l->pass : nullptr, door, PassDenial::invalid, done);
  GuestPass pass = std::move(*l->pass);
  const auto now = clock_.now();
  if (auto d = validity_denial(pass, zone_, now); d != PassDenial::none) return deny(&pass, door, d, done);
  if (std::find(pass.doors.begin(), pass.doors.end(), door) == pass.doors.end())
    return deny(&pass, door, PassDenial::door_not_allowed, done);
  if (pass.has_pin()) {
    if (pass.pin_locked_until && *pass.pin_locked_until > now) {
      const auto left = std::chrono::duration_cast<std::chrono::seconds>(*pass.pin_locked_until - now).count() + 1;
      return deny(&pass, door, PassDenial::pin_locked, done, static_cast<int>(left));
    }
    if (pin.empty()) return deny(&pass, door, PassDenial::pin_required, done);
    if (!verify_pin(pin, pass.pin_hash)) {
      int failures = pass.pin_failures + 1;
      std::optional<Clock::SystemTime> locked;
      if (failures >= options_.pin_max_failures) {
        locked = now + options_.pin_lockout;
        failures = 0;
      }
      (void)repository_.set_pin_state(pass.id, failures, locked);
      if (locked)
        return deny(&pass, door, PassDenial::pin_locked, done, static_cast<int>(options_.pin_lockout.count()));
      return deny(&pass, door, PassDenial::wrong_pin, done);
    }
    if (pass.pin_failures > 0 || pass.pin_locked_until) (void)repository_.set_pin_state(pass.id, 0, std::nullopt);
  }
  auto taken = repository_.take_use(pass.id, now);
  if (!taken) {
    OpenResult r;
    r.error = taken.error();
    return done(std::move(r));
  }
  if (!*taken) return deny(&pass, door, PassDenial::exhausted, done);
  ++pass.uses;
  const auto id = pass.id;
  const std::string door_id(door);
  doors_.unlock(door_id, pass_actor(pass), AccessMethod::pass,
                [this, id, door_id, label = pass.label, remaining = pass.remaining_uses(),
                 done = std::move(done)](Result<DoorService::UnlockReply> reply) {
                  OpenResult r;
                  if (!reply) {
                    (void)repository_.return_use(id);
                    r.error = reply.error();
                    return done(std::move(r));
                  }
                  r.unlocked = *reply;
                  r.remaining_uses = remaining;
                  emit(EventType::pass_used, door_id, label, "pass",
                       remaining ? std::to_string(*remaining) + " uses left" : std::string());
                  done(std::move(r));
                });
}

Result<int> PassService::purge() { return repository_.purge_ended_before(clock_.now() - options_.purge_after); }

void PassService::audit_host(const Actor& host, AccessMethod method, const GuestPass& pass, const std::string& action,
                             const std::string& detail) {
  auto e = AuditEntry::from(host, method, "", action, AuditResult::granted,
                            "pass " + std::to_string(pass.id) + " '" + pass.label + "'" +
                                (detail.empty() ? "" : ": " + detail));
  (void)audit_.append(e);
}

void PassService::emit(EventType type, const std::string& door, const std::string& actor, std::string method,
                       std::string detail) {
  Event ev;
  ev.type = type;
  ev.door = door;
  ev.time = clock_.now();
  ev.actor = actor;
  ev.method = std::move(method);
  ev.detail = std::move(detail);
  events_.on_door_event(ev);
}

}  // namespace portier::access
