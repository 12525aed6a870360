#include "access/audit_record.hpp"

#include "base/error.hpp"
#include "base/random.hpp"

namespace portier::access {

std::string_view to_string(AuditResult result) {
  switch (result) {
    case AuditResult::granted: return "granted";
    case AuditResult::denied: return "denied";
    case AuditResult::failed: return "failed";
  }
  return "failed";
}

Result<AuditResult> parse_audit_result(std::string_view text) {
  for (auto r : {AuditResult::granted, AuditResult::denied, AuditResult::failed}) {
    if (to_string(r) == text) return r;
  }
  return Error(errc::invalid_argument, "unknown audit result '" + std::string(text) + "'");
}

AuditEntry AuditEntry::from(const Actor& actor, AccessMethod method, std::string door, std::string action,
                            AuditResult result, std::string detail) {
  AuditEntry e;
  e.actor_kind = actor.kind;
  e.actor_id = actor.id;
  e.actor_name = actor.name;
  e.method = method;
  e.door = std::move(door);
  e.action = std::move(action);
  e.result = result;
  e.detail = std::move(detail);
  return e;
}

namespace {

void field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ';';
}

}  // namespace

std::string canonical_content(const AuditRecord& r) {
  std::string out = "portier-audit-v1;";
  field(out, std::to_string(r.seq));
  field(out, std::to_string(r.time_ms));
  field(out, to_string(r.entry.actor_kind));
  field(out, r.entry.actor_id);
  field(out, r.entry.actor_name);
  field(out, to_string(r.entry.method));
  field(out, r.entry.door);
  field(out, r.entry.action);
  field(out, to_string(r.entry.result));
  field(out, r.entry.detail);
  return out;
}

std::string compute_audit_hash(const AuditRecord& r) {
  std::string data;
  field(data, r.prev_hash);
  data += canonical_content(r);
  return sha256_hex(data);
}

}  // namespace portier::access
