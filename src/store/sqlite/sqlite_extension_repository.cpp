#include "store/sqlite/sqlite_extension_repository.hpp"

#include "base/error.hpp"

namespace portier::store::sqlite {
namespace {
constexpr std::string_view kColumns = "SELECT number, display_name, secret, role, created_at_ms FROM sip_extensions ";

access::Extension read_extension(Statement& q) {
  access::Extension e;
  e.number = q.column_text(0);
  e.display_name = q.column_text(1);
  e.secret = q.column_text(2);
  e.role = access::parse_extension_role(q.column_text(3)).value_or(access::ExtensionRole::resident);
  e.created_at = from_unix_ms(q.column_int(4));
  return e;
}
}  // namespace

Result<access::Extension> SqliteExtensionRepository::create(const access::Extension& extension) {
  access::Extension e = extension;
  e.created_at = clock_.now();
  auto q = db_.prepare(
      "INSERT INTO sip_extensions (number, display_name, secret, role, created_at_ms) VALUES (?, ?, ?, ?, ?)");
  if (!q) return q.error();
  q->bind(1, e.number).bind(2, e.display_name).bind(3, e.secret).bind(4, access::to_string(e.role));
  q->bind(5, to_unix_ms(e.created_at));
  if (auto st = q->run(); !st) {
    if (st.error().code == errc::already_exists) return Error(errc::already_exists, "extension exists: " + e.number);
    return st.error();
  }
  return e;
}

std::optional<access::Extension> SqliteExtensionRepository::find(const std::string& number) const {
  auto q = db_.prepare(std::string(kColumns) + "WHERE number = ?");
  if (!q) return std::nullopt;
  q->bind(1, number);
  if (!q->step()) return std::nullopt;
  return read_extension(*q);
}

std::vector<access::Extension> SqliteExtensionRepository::list() const {
  std::vector<access::Extension> out;
  auto q = db_.prepare(std::string(kColumns) + "ORDER BY number");
  if (!q) return out;
  while (q->step()) out.push_back(read_extension(*q));
  return out;
}

Status SqliteExtensionRepository::update_secret(const std::string& number, const std::string& secret) {
  auto q = db_.prepare("UPDATE sip_extensions SET secret = ? WHERE number = ?");
  if (!q) return q.error();
  if (auto st = q->bind(1, secret).bind(2, number).run(); !st) return st;
  if (db_.changes() == 0) return Error(errc::not_found, "no such extension: " + number);
  return {};
}

Status SqliteExtensionRepository::remove(const std::string& number) {
  auto q = db_.prepare("DELETE FROM sip_extensions WHERE number = ?");
  if (!q) return q.error();
  if (auto st = q->bind(1, number).run(); !st) return st;
  if (db_.changes() == 0) return Error(errc::not_found, "no such extension: " + number);
  auto r = db_.prepare("DELETE FROM sip_registrations WHERE aor = ?");
  if (r) (void)r->bind(1, number).run();
  return {};
}

}  // namespace portier::store::sqlite
