#include "store/sqlite/sqlite_device_repository.hpp"

#include "base/error.hpp"

namespace portier::store::sqlite {
namespace {
constexpr std::string_view kColumns =
    "SELECT name, protocol, broker_password_hash, command_key, login_hash, counter_reserved, created_at_ms, "
    "updated_at_ms FROM network_devices ";

access::NetworkDevice read_device(Statement& q) {
  access::NetworkDevice d;
  d.name = q.column_text(0);
  auto protocol = access::parse_device_protocol(q.column_text(1));
  d.protocol = protocol ? *protocol : access::DeviceProtocol::native;
  d.broker_password_hash = q.column_text(2);
  d.command_key = q.column_text(3);
  d.login_hash = q.column_text(4);
  d.counter_reserved = static_cast<std::uint64_t>(q.column_int(5));
  d.created_at = from_unix_ms(q.column_int(6));
  d.updated_at = from_unix_ms(q.column_int(7));
  return d;
}

Status changed_one(Database& db, const std::string& name) {
  if (db.changes() == 0) return Error(errc::not_found, "no such device: " + name);
  return {};
}
}  // namespace

Result<access::NetworkDevice> SqliteDeviceRepository::create(const access::NetworkDevice& device) {
  access::NetworkDevice d = device;
  d.created_at = d.updated_at = clock_.now();
  auto q = db_.prepare(
      "INSERT INTO network_devices (name, protocol, broker_password_hash, command_key, login_hash, counter_reserved, "
      "created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!q) return q.error();
  q->bind(1, d.name).bind(2, std::string(access::to_string(d.protocol))).bind(3, d.broker_password_hash);
  q->bind(4, d.command_key).bind(5, d.login_hash).bind(6, static_cast<std::int64_t>(d.counter_reserved));
  q->bind(7, to_unix_ms(d.created_at)).bind(8, to_unix_ms(d.updated_at));
  if (auto st = q->run(); !st) {
    if (st.error().code == errc::already_exists) return Error(errc::already_exists, "device exists: " + d.name);
    return st.error();
  }
  return d;
}

std::optional<access::NetworkDevice> SqliteDeviceRepository::find(const std::string& name) const {
  auto q = db_.prepare(std::string(kColumns) + "WHERE name = ?");
  if (!q) return std::nullopt;
  q->bind(1, name);
  if (!q->step()) return std::nullopt;
  return read_device(*q);
}

Result<std::vector<access::NetworkDevice>> SqliteDeviceRepository::list() const {
  std::vector<access::NetworkDevice> out;
  auto q = db_.prepare(std::string(kColumns) + "ORDER BY name");
  if (!q) return q.error();
  while (q->step()) out.push_back(read_device(*q));
  return out;
}

Status SqliteDeviceRepository::update_credentials(const std::string& name, const std::string& broker_password_hash,
                                                  const std::string& command_key, const std::string& login_hash) {
  auto q = db_.prepare(
      "UPDATE network_devices SET broker_password_hash = ?, command_key = ?, login_hash = ?, updated_at_ms = ? "
      "WHERE name = ?");
  if (!q) return q.error();
  q->bind(1, broker_password_hash).bind(2, command_key).bind(3, login_hash).bind(4, to_unix_ms(clock_.now()));
  if (auto st = q->bind(5, name).run(); !st) return st;
  return changed_one(db_, name);
}

Status SqliteDeviceRepository::reserve_counter(const std::string& name, std::uint64_t up_to) {
  auto q = db_.prepare("UPDATE network_devices SET counter_reserved = MAX(counter_reserved, ?) WHERE name = ?");
  if (!q) return q.error();
  if (auto st = q->bind(1, static_cast<std::int64_t>(up_to)).bind(2, name).run(); !st) return st;
  return changed_one(db_, name);
}

Status SqliteDeviceRepository::remove(const std::string& name) {
  auto q = db_.prepare("DELETE FROM network_devices WHERE name = ?");
  if (!q) return q.error();
  if (auto st = q->bind(1, name).run(); !st) return st;
  return changed_one(db_, name);
}

}  // namespace portier::store::sqlite
