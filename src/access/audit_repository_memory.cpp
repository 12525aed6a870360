#include "access/audit_repository_memory.hpp"

#include <sstream>

#include "base/error.hpp"

namespace portier::access {

Status MemoryAuditRepository::append(const AuditRecord& record) {
  if (fail_) {
    Error e = *fail_;
    if (!sticky_) fail_.reset();
    return e;
  }
  const std::uint64_t expected = rows_.empty() ? 1 : rows_.back().seq + 1;
  if (record.seq != expected) {
    return Error(errc::conflict, "audit row " + std::to_string(record.seq) + " is not the next row (" +
                                     std::to_string(expected) + ")");
  }
  rows_.push_back(record);
  return {};
}

Result<std::vector<AuditRecord>> MemoryAuditRepository::read(std::uint64_t after_seq, std::size_t limit) const {
  std::vector<AuditRecord> out;
  for (const auto& r : rows_) {
    if (out.size() >= limit) break;
    if (r.seq > after_seq) out.push_back(r);
  }
  return out;
}

Result<AuditHead> MemoryAuditRepository::head() const {
  if (rows_.empty()) return AuditHead{};
  return AuditHead{rows_.back().seq, rows_.back().hash};
}

std::string MemoryAuditRepository::dump() const {
  std::ostringstream os;
  os << "MemoryAuditRepository{rows=" << rows_.size() << " failing=" << fail_.has_value() << "}";
  return os.str();
}

}  // namespace portier::access
