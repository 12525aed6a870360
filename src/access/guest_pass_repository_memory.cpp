#include "access/guest_pass_repository_memory.hpp"

#include "base/error.hpp"

namespace portier::access {
namespace {
Error down() { return Error(errc::unavailable, "pass store unavailable"); }
Error gone() { return Error(errc::not_found, "no such pass"); }
}  // namespace

GuestPass* MemoryGuestPassRepository::get(std::int64_t id) {
  auto it = passes_.find(id);
  return it == passes_.end() ? nullptr : &it->second;
}

Result<GuestPass> MemoryGuestPassRepository::insert(const GuestPass& pass) {
  if (fail) return down();
  GuestPass p = pass;
  p.id = next_id_++;
  passes_[p.id] = p;
  return p;
}

Result<std::optional<GuestPass>> MemoryGuestPassRepository::find(std::int64_t id) {
  if (fail) return down();
  if (auto* p = get(id)) return std::optional<GuestPass>(*p);
  return std::optional<GuestPass>();
}

Result<std::optional<GuestPass>> MemoryGuestPassRepository::find_by_token_hash(const std::string& token_hash) {
  if (fail) return down();
  for (const auto& [id, p] : passes_)
    if (p.token_hash == token_hash) return std::optional<GuestPass>(p);
  return std::optional<GuestPass>();
}

Result<std::vector<GuestPass>> MemoryGuestPassRepository::list() {
  if (fail) return down();
  std::vector<GuestPass> out;
  for (auto it = passes_.rbegin(); it != passes_.rend(); ++it) out.push_back(it->second);
  return out;
}

Status MemoryGuestPassRepository::update(const GuestPass& pass) {
  if (fail) return down();
  auto* p = get(pass.id);
  if (!p) return gone();
  p->label = pass.label;
  p->doors = pass.doors;
  p->valid_from = pass.valid_from;
  p->valid_until = pass.valid_until;
  p->schedule = pass.schedule;
  p->max_uses = pass.max_uses;
  p->pin_hash = pass.pin_hash;
  p->note = pass.note;
  return {};
}

Status MemoryGuestPassRepository::set_token_hash(std::int64_t id, const std::string& token_hash) {
  if (fail) return down();
  auto* p = get(id);
  if (!p) return gone();
  p->token_hash = token_hash;
  return {};
}

Status MemoryGuestPassRepository::revoke(std::int64_t id, Clock::SystemTime when) {
  if (fail) return down();
  auto* p = get(id);
  if (!p) return gone();
  if (!p->revoked_at) p->revoked_at = when;
  return {};
}

Status MemoryGuestPassRepository::remove(std::int64_t id) {
  if (fail) return down();
  if (passes_.erase(id) == 0) return gone();
  return {};
}

Result<bool> MemoryGuestPassRepository::take_use(std::int64_t id, Clock::SystemTime when) {
  if (fail) return down();
  auto* p = get(id);
  if (!p || p->revoked_at || (p->max_uses && p->uses >= *p->max_uses)) return false;
  ++p->uses;
  p->last_used_at = when;
  return true;
}

Status MemoryGuestPassRepository::return_use(std::int64_t id) {
  if (fail) return down();
  auto* p = get(id);
  if (!p) return gone();
  if (p->uses > 0) --p->uses;
  return {};
}

Status MemoryGuestPassRepository::set_pin_state(std::int64_t id, int failures,
                                                std::optional<Clock::SystemTime> locked_until) {
  if (fail) return down();
  auto* p = get(id);
  if (!p) return gone();
  p->pin_failures = failures;
  p->pin_locked_until = locked_until;
  return {};
}

Result<int> MemoryGuestPassRepository::purge_ended_before(Clock::SystemTime cutoff) {
  if (fail) return down();
  int n = 0;
  for (auto it = passes_.begin(); it != passes_.end();) {
    if (it->second.valid_until < cutoff) {
      it = passes_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

}  // namespace portier::access
