#pragma once
// Appends audit rows: numbers them, stamps the time, chains the hashes and hands them to the repository. Single
// writer: one AuditLog per repository, used from the io thread.
#include <string>

#include "access/audit_repository.hpp"
#include "base/clock.hpp"
#include "base/result.hpp"

namespace portier::access {

class AuditLog {
 public:
  // `repository` and `clock` must outlive this object.
  AuditLog(AuditRepository& repository, const Clock& clock) : repository_(repository), clock_(clock) {}
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Loads the head of the chain. append() does it on first use; calling it at start-up surfaces store errors early.
  Status open();
  // Returns the stored row. On failure nothing is assumed about the store: the head is re-read on the next append.
  Result<AuditRecord> append(const AuditEntry& entry);

  AuditRepository& repository() { return repository_; }
  const AuditHead& head() const { return head_; }
  std::string dump() const;

 private:
  AuditRepository& repository_;
  const Clock& clock_;
  AuditHead head_;
  bool open_ = false;
  std::uint64_t appended_ = 0;
  std::uint64_t failures_ = 0;
};

}  // namespace portier::access
