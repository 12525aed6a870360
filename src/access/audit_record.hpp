#pragma once
// One row of the append-only audit log. Rows are hash-chained: each carries the hash of the row before it and its
// own hash = SHA-256(previous hash + canonical content), so editing or deleting any row breaks the chain from there
// on (audit_verifier.hpp). Times are whole milliseconds so that a row hashes the same after a trip through a store.
#include <cstdint>
#include <string>
#include <string_view>

#include "access/audit_actor.hpp"
#include "base/result.hpp"

namespace portier::access {

// granted: written before the relay moves; a failure after it adds a `failed` row.
enum class AuditResult { granted, denied, failed };

std::string_view to_string(AuditResult result);
Result<AuditResult> parse_audit_result(std::string_view text);

// The prev_hash of the first row.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// What a caller asks to record.
struct AuditEntry {
  ActorKind actor_kind = ActorKind::user;
  std::string actor_id;
  std::string actor_name;
  AccessMethod method = AccessMethod::internal;
  std::string door;
  std::string action;  // "unlock", "lock", ...
  AuditResult result = AuditResult::granted;
  std::string detail;  // e.g. the driver's error text; never secrets

  static AuditEntry from(const Actor& actor, AccessMethod method, std::string door, std::string action,
                         AuditResult result, std::string detail = {});
};

struct AuditRecord {
  std::uint64_t seq = 0;    // 1, 2, 3, ... without gaps
  std::int64_t time_ms = 0;  // Unix milliseconds
  AuditEntry entry;
  std::string prev_hash;  // 64 hex chars
  std::string hash;       // 64 hex chars
};

// The bytes that are hashed: every field but `hash`, each length-prefixed so no value can imitate a separator.
std::string canonical_content(const AuditRecord& record);
// SHA-256 hex of prev_hash followed by the canonical content.
std::string compute_audit_hash(const AuditRecord& record);

}  // namespace portier::access
