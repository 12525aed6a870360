#include "access/audit_verifier.hpp"

#include <sstream>

namespace portier::access {

bool AuditChainVerifier::fail(std::uint64_t seq, std::string reason) {
  report_.ok = false;
  report_.first_bad_seq = seq;
  report_.reason = std::move(reason);
  return false;
}

bool AuditChainVerifier::feed(const AuditRecord& r) {
  if (!report_.ok) return false;
  const std::uint64_t expected = last_.seq + 1;
  ++report_.rows;
  if (r.seq != expected) {
    return fail(expected, "row " + std::to_string(expected) + " is missing: found row " + std::to_string(r.seq) +
                              " in its place (deleted or reordered)");
  }
  if (r.prev_hash != last_.hash) {
    return fail(r.seq, "row " + std::to_string(r.seq) + " does not follow from the row before it "
                           "(prev_hash mismatch: an earlier row was edited, deleted or replaced)");
  }
  if (compute_audit_hash(r) != r.hash) {
    return fail(r.seq, "row " + std::to_string(r.seq) + " was edited: its content does not match its hash");
  }
  last_ = AuditHead{r.seq, r.hash};
  return true;
}

bool AuditChainVerifier::finish(const std::optional<AuditHead>& expected_head) {
  if (!report_.ok || !expected_head) return report_.ok;
  if (expected_head->seq > last_.seq) {
    return fail(last_.seq + 1, "the chain ends at row " + std::to_string(last_.seq) + " but row " +
                                   std::to_string(expected_head->seq) + " was recorded (rows dropped from the end)");
  }
  if (expected_head->seq > 0 && expected_head->seq == last_.seq && expected_head->hash != last_.hash) {
    return fail(last_.seq, "row " + std::to_string(last_.seq) + " differs from the recorded head");
  }
  return true;
}

std::string AuditChainVerifier::dump() const {
  std::ostringstream os;
  os << "AuditChainVerifier{ok=" << report_.ok << " rows=" << report_.rows << " last_seq=" << last_.seq;
  if (!report_.ok) os << " first_bad=" << report_.first_bad_seq << " reason=\"" << report_.reason << "\"";
  os << "}";
  return os.str();
}

Result<AuditVerifyReport> verify_audit_log(const AuditRepository& repository, std::size_t page_size,
                                           const std::optional<AuditHead>& expected_head) {
  if (page_size == 0) page_size = 1;
  AuditChainVerifier verifier;
  std::uint64_t after = 0;
  for (;;) {
    auto page = repository.read(after, page_size);
    if (!page) return page.error();
    for (const auto& r : *page) {
      if (!verifier.feed(r)) return verifier.report();
      after = r.seq;
    }
    if (page->size() < page_size) break;
  }
  verifier.finish(expected_head);
  return verifier.report();
}

}  // namespace portier::access
