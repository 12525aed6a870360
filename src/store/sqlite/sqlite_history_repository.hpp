#pragma once
// HistoryRepository on SQLite (table door_events, migration 2). The store assigns the ids (AUTOINCREMENT: never
// reused, even after a purge). Times are kept in whole milliseconds. Time filters are half-open: since <= time < until.
#include <cstddef>
#include <string>

#include "access/history_repository.hpp"
#include "store/sqlite/database.hpp"

namespace portier::store::sqlite {

class SqliteHistoryRepository final : public access::HistoryRepository {
 public:
  static constexpr std::size_t kMaxLimit = 1000;

  // `db` must outlive this object (SqliteStore owns both).
  explicit SqliteHistoryRepository(Database& db) : db_(db) {}

  Result<std::int64_t> append(const access::Event& event) override;
  // errc::invalid_argument when q.limit is outside 1..kMaxLimit.
  Result<std::vector<access::StoredEvent>> query(const access::HistoryQuery& q) const override;
  // The last id ever assigned (also after a purge emptied the table); 0 when none.
  Result<std::int64_t> last_id() const override;
  Result<std::int64_t> purge_before(Clock::SystemTime cutoff) override;
  std::string dump() const;

 private:
  Database& db_;
};

}  // namespace portier::store::sqlite
