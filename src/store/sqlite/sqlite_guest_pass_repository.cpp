#include "store/sqlite/sqlite_guest_pass_repository.hpp"

#include <cstdio>

#include "base/error.hpp"
#include "base/strings.hpp"

namespace portier::store::sqlite {
namespace {

using access::GuestPass;
using access::ScheduleWindow;

constexpr std::string_view kColumns =
    "SELECT id, label, doors, valid_from_ms, valid_until_ms, schedule, max_uses, uses, pin_hash, note, created_by, "
    "created_by_name, created_at_ms, revoked_at_ms, last_used_at_ms, token_hash, pin_failures, pin_locked_until_ms "
    "FROM guest_passes ";

std::string join_doors(const std::vector<std::string>& doors) {
  std::string out;
  for (const auto& d : doors) {
    if (!out.empty()) out.push_back('\n');
    out.append(d);
  }
  return out;
}

std::vector<std::string> split_doors(const std::string& text) {
  std::vector<std::string> out;
  for (auto part : split(text, '\n'))
    if (!part.empty()) out.emplace_back(part);
  return out;
}

std::string format_schedule(const std::vector<ScheduleWindow>& schedule) {
  std::string out;
  for (const auto& w : schedule) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%u:%d-%d", static_cast<unsigned>(w.days), w.from_minute, w.to_minute);
    if (!out.empty()) out.push_back(';');
    out.append(buf);
  }
  return out;
}

std::vector<ScheduleWindow> parse_schedule(const std::string& text) {
  std::vector<ScheduleWindow> out;
  for (auto part : split(text, ';')) {
    unsigned days = 0;
    int from = 0, to = 0;
    const std::string item(part);
    if (std::sscanf(item.c_str(), "%u:%d-%d", &days, &from, &to) == 3)
      out.push_back({static_cast<std::uint8_t>(days & 0x7f), from, to});
  }
  return out;
}

std::optional<Clock::SystemTime> optional_time(Statement& q, int i) {
  if (q.column_is_null(i)) return std::nullopt;
  return from_unix_ms(q.column_int(i));
}

GuestPass read_pass(Statement& q) {
  GuestPass p;
  p.id = q.column_int(0);
  p.label = q.column_text(1);
  p.doors = split_doors(q.column_text(2));
  p.valid_from = from_unix_ms(q.column_int(3));
  p.valid_until = from_unix_ms(q.column_int(4));
  p.schedule = parse_schedule(q.column_text(5));
  if (!q.column_is_null(6)) p.max_uses = static_cast<int>(q.column_int(6));
  p.uses = static_cast<int>(q.column_int(7));
  p.pin_hash = q.column_text(8);
  p.note = q.column_text(9);
  p.created_by = q.column_text(10);
  p.created_by_name = q.column_text(11);
  p.created_at = from_unix_ms(q.column_int(12));
  p.revoked_at = optional_time(q, 13);
  p.last_used_at = optional_time(q, 14);
  p.token_hash = q.column_text(15);
  p.pin_failures = static_cast<int>(q.column_int(16));
  p.pin_locked_until = optional_time(q, 17);
  return p;
}

Result<std::optional<GuestPass>> one(Result<Statement> q) {
  if (!q) return q.error();
  if (!q->step()) {
    if (auto st = q->status(); !st) return st.error();
    return std::optional<GuestPass>();
  }
  return std::optional<GuestPass>(read_pass(*q));
}

}  // namespace

Status SqliteGuestPassRepository::changed_one(Status st) {
  if (!st) return st;
  if (db_.changes() == 0) return Error(errc::not_found, "no such pass");
  return {};
}

Result<GuestPass> SqliteGuestPassRepository::insert(const GuestPass& pass) {
  auto q = db_.prepare(
      "INSERT INTO guest_passes (label, doors, valid_from_ms, valid_until_ms, schedule, max_uses, uses, pin_hash, note, "
      "created_by, created_by_name, created_at_ms, token_hash) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)");
  if (!q) return q.error();
  q->bind(1, pass.label).bind(2, join_doors(pass.doors)).bind(3, to_unix_ms(pass.valid_from));
  q->bind(4, to_unix_ms(pass.valid_until)).bind(5, format_schedule(pass.schedule));
  if (pass.max_uses) q->bind(6, static_cast<std::int64_t>(*pass.max_uses));
  else q->bind(6, std::nullopt);
  q->bind(7, pass.pin_hash).bind(8, pass.note).bind(9, pass.created_by).bind(10, pass.created_by_name);
  q->bind(11, to_unix_ms(pass.created_at)).bind(12, pass.token_hash);
  if (auto st = q->run(); !st) return st.error();
  auto stored = find(db_.last_insert_rowid());
  if (!stored) return stored.error();
  if (!*stored) return Error(errc::internal, "inserted pass vanished");
  return std::move(**stored);
}

Result<std::optional<GuestPass>> SqliteGuestPassRepository::find(std::int64_t id) {
  auto q = db_.prepare(std::string(kColumns) + "WHERE id = ?");
  if (q) q->bind(1, id);
  return one(std::move(q));
}

Result<std::optional<GuestPass>> SqliteGuestPassRepository::find_by_token_hash(const std::string& token_hash) {
  auto q = db_.prepare(std::string(kColumns) + "WHERE token_hash = ?");
  if (q) q->bind(1, token_hash);
  return one(std::move(q));
}

Result<std::vector<GuestPass>> SqliteGuestPassRepository::list() {
  auto q = db_.prepare(std::string(kColumns) + "ORDER BY id DESC");
  if (!q) return q.error();
  std::vector<GuestPass> out;
  while (q->step()) out.push_back(read_pass(*q));
  if (auto st = q->status(); !st) return st.error();
  return out;
}

Status SqliteGuestPassRepository::update(const GuestPass& pass) {
  auto q = db_.prepare(
      "UPDATE guest_passes SET label = ?, doors = ?, valid_from_ms = ?, valid_until_ms = ?, schedule = ?, "
      "max_uses = ?, pin_hash = ?, note = ? WHERE id = ?");
  if (!q) return q.error();
  q->bind(1, pass.label).bind(2, join_doors(pass.doors)).bind(3, to_unix_ms(pass.valid_from));
  q->bind(4, to_unix_ms(pass.valid_until)).bind(5, format_schedule(pass.schedule));
  if (pass.max_uses) q->bind(6, static_cast<std::int64_t>(*pass.max_uses));
  else q->bind(6, std::nullopt);
  q->bind(7, pass.pin_hash).bind(8, pass.note).bind(9, pass.id);
  return changed_one(q->run());
}

Status SqliteGuestPassRepository::set_token_hash(std::int64_t id, const std::string& token_hash) {
  auto q = db_.prepare("UPDATE guest_passes SET token_hash = ? WHERE id = ?");
  if (!q) return q.error();
  return changed_one(q->bind(1, token_hash).bind(2, id).run());
}

Status SqliteGuestPassRepository::revoke(std::int64_t id, Clock::SystemTime when) {
  auto q = db_.prepare("UPDATE guest_passes SET revoked_at_ms = COALESCE(revoked_at_ms, ?) WHERE id = ?");
  if (!q) return q.error();
  return changed_one(q->bind(1, to_unix_ms(when)).bind(2, id).run());
}

Status SqliteGuestPassRepository::remove(std::int64_t id) {
  auto q = db_.prepare("DELETE FROM guest_passes WHERE id = ?");
  if (!q) return q.error();
  return changed_one(q->bind(1, id).run());
}

Result<bool> SqliteGuestPassRepository::take_use(std::int64_t id, Clock::SystemTime when) {
  auto q = db_.prepare(
      "UPDATE guest_passes SET uses = uses + 1, last_used_at_ms = ? WHERE id = ? AND revoked_at_ms IS NULL AND "
      "(max_uses IS NULL OR uses < max_uses)");
  if (!q) return q.error();
  if (auto st = q->bind(1, to_unix_ms(when)).bind(2, id).run(); !st) return st.error();
  return db_.changes() == 1;
}

Status SqliteGuestPassRepository::return_use(std::int64_t id) {
  auto q = db_.prepare("UPDATE guest_passes SET uses = uses - 1 WHERE id = ? AND uses > 0");
  if (!q) return q.error();
  return q->bind(1, id).run();
}

Status SqliteGuestPassRepository::set_pin_state(std::int64_t id, int failures,
                                                std::optional<Clock::SystemTime> locked_until) {
  auto q = db_.prepare("UPDATE guest_passes SET pin_failures = ?, pin_locked_until_ms = ? WHERE id = ?");
  if (!q) return q.error();
  q->bind(1, static_cast<std::int64_t>(failures));
  if (locked_until) q->bind(2, to_unix_ms(*locked_until));
  else q->bind(2, std::nullopt);
  return changed_one(q->bind(3, id).run());
}

Result<int> SqliteGuestPassRepository::purge_ended_before(Clock::SystemTime cutoff) {
  auto q = db_.prepare("DELETE FROM guest_passes WHERE valid_until_ms < ?");
  if (!q) return q.error();
  if (auto st = q->bind(1, to_unix_ms(cutoff)).run(); !st) return st.error();
  return static_cast<int>(db_.changes());
}

}  // namespace portier::store::sqlite
