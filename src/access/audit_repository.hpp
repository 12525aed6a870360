#pragma once
// Port: where audit rows are kept (store/sqlite implements it; MemoryAuditRepository for tests). Append-only: there
// is deliberately no update or delete.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "access/audit_record.hpp"
#include "base/result.hpp"

namespace portier::access {

struct AuditHead {
  std::uint64_t seq = 0;                          // 0: empty log
  std::string hash = std::string(kAuditGenesisHash);
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  // Stores the row durably before returning: an unlock is acknowledged only after its row is on disk. A store may
  // refuse a row whose seq is not head().seq + 1 with errc::conflict (another writer got there first).
  virtual Status append(const AuditRecord& record) = 0;
  // Up to `limit` rows with seq > after_seq, in seq order.
  virtual Result<std::vector<AuditRecord>> read(std::uint64_t after_seq, std::size_t limit) const = 0;
  // The last row's seq and hash, or {0, genesis} when empty.
  virtual Result<AuditHead> head() const = 0;
};

}  // namespace portier::access
