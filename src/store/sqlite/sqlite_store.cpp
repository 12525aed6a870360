#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/migrations.hpp"

namespace portier::store::sqlite {

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& file, const Clock& clock) {
  auto db = Database::open(file);
  if (!db) return db.error();
  auto version = migrate(**db);
  if (!version) return version.error();
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*db), clock, *version));
}

}  // namespace portier::store::sqlite
