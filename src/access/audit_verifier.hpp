#pragma once
// Checks the audit hash chain: sequence without gaps from 1, each prev_hash equal to the hash before it, each hash
// matching the row's content. Reports the first bad row. Used by `portier audit verify` and by tests.
// Limit: dropping rows from the end leaves a valid shorter chain; only a head recorded elsewhere (`expected_head`)
// catches that.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "access/audit_repository.hpp"
#include "base/result.hpp"

namespace portier::access {

struct AuditVerifyReport {
  bool ok = true;
  std::uint64_t rows = 0;           // rows checked
  std::uint64_t first_bad_seq = 0;  // the seq where the chain breaks (the position expected there); 0 when ok
  std::string reason;               // what is wrong with that row
};

class AuditChainVerifier {
 public:
  // Feeds the next row in order; returns false once the chain is broken (later rows are then ignored).
  bool feed(const AuditRecord& record);
  // Checks the end of the chain against a head noted elsewhere (catches rows dropped from the end).
  bool finish(const std::optional<AuditHead>& expected_head = std::nullopt);
  const AuditVerifyReport& report() const { return report_; }
  std::string dump() const;

 private:
  bool fail(std::uint64_t seq, std::string reason);

  AuditVerifyReport report_;
  AuditHead last_;
};

// Reads the whole repository page by page and verifies it. An Error only when the repository cannot be read.
Result<AuditVerifyReport> verify_audit_log(const AuditRepository& repository, std::size_t page_size = 1000,
                                           const std::optional<AuditHead>& expected_head = std::nullopt);

}  // namespace portier::access
