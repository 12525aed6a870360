#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/migrations.hpp"

namespace portier::store::sqlite {

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& file, const Clock& clock) {
  auto db = Database::open(file);
  if (!db) return db.error();
  auto version = migrate(**db);
  if (!version) return version.error();
  // The event history gets its own connection with NORMAL durability: events are many (three per unlock) and losing
  // the last few to a power cut is acceptable, an fsync each is not. The audit log keeps FULL on the main connection.
  auto events_db = Database::open(file, Database::Durability::normal);
  if (!events_db) return events_db.error();
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*db), std::move(*events_db), clock, *version));
}

}  // namespace portier::store::sqlite
