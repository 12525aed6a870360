#pragma once
// AuditRepository in memory, for tests and demos. rows() is mutable on purpose so tests can tamper with history.
#include <optional>
#include <vector>

#include "access/audit_repository.hpp"

namespace portier::access {

class MemoryAuditRepository final : public AuditRepository {
 public:
  Status append(const AuditRecord& record) override;
  Result<std::vector<AuditRecord>> read(std::uint64_t after_seq, std::size_t limit) const override;
  Result<AuditHead> head() const override;

  std::vector<AuditRecord>& rows() { return rows_; }
  const std::vector<AuditRecord>& rows() const { return rows_; }
  // The next append (or every append while `sticky`) fails with this error.
  void fail_appends(std::optional<Error> error, bool sticky = false) {
    fail_ = std::move(error);
    sticky_ = sticky;
  }
  std::string dump() const;

 private:
  std::vector<AuditRecord> rows_;
  std::optional<Error> fail_;
  bool sticky_ = false;
};

}  // namespace portier::access
