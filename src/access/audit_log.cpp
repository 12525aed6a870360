#include "access/audit_log.hpp"

#include <sstream>

namespace portier::access {

Status AuditLog::open() {
  auto head = repository_.head();
  if (!head) return head.error();
  head_ = std::move(*head);
  open_ = true;
  return {};
}

Result<AuditRecord> AuditLog::append(const AuditEntry& entry) {
  if (!open_) {
    if (auto st = open(); !st) {
      ++failures_;
      return st.error();
    }
  }
  AuditRecord r;
  r.seq = head_.seq + 1;
  r.time_ms = to_unix_ms(clock_.now());
  r.entry = entry;
  r.prev_hash = head_.hash;
  r.hash = compute_audit_hash(r);
  if (auto st = repository_.append(r); !st) {
    ++failures_;
    open_ = false;  // the row may or may not have landed; ask the store next time
    return st.error();
  }
  head_ = AuditHead{r.seq, r.hash};
  ++appended_;
  return r;
}

std::string AuditLog::dump() const {
  std::ostringstream os;
  os << "AuditLog{open=" << open_ << " head_seq=" << head_.seq << " head_hash=" << head_.hash.substr(0, 12)
     << " appended=" << appended_ << " failures=" << failures_ << "}";
  return os.str();
}

}  // namespace portier::access
