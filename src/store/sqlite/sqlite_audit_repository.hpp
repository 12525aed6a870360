#pragma once
// AuditRepository on SQLite (table audit_log, migration 2). Each append is its own BEGIN IMMEDIATE transaction, so
// with the database's synchronous=FULL the row is on disk when append() returns. The table is append-only at the
// database level as well: triggers refuse UPDATE, DELETE and any INSERT that does not extend the chain.
#include <cstdint>
#include <string>

#include "access/audit_repository.hpp"
#include "store/sqlite/database.hpp"

namespace portier::store::sqlite {

class SqliteAuditRepository final : public access::AuditRepository {
 public:
  // `db` must outlive this object (SqliteStore owns both).
  explicit SqliteAuditRepository(Database& db) : db_(db) {}

  // errc::conflict when record.seq is not head().seq + 1 or record.prev_hash is not head().hash.
  Status append(const access::AuditRecord& record) override;
  // A row whose enum columns hold text Portier does not know (edited outside Portier) is an Error naming its seq.
  Result<std::vector<access::AuditRecord>> read(std::uint64_t after_seq, std::size_t limit) const override;
  Result<access::AuditHead> head() const override;
  std::string dump() const;

 private:
  Status insert(const access::AuditRecord& record);

  Database& db_;
  std::uint64_t appended_ = 0;
  std::uint64_t refused_ = 0;
};

}  // namespace portier::store::sqlite
