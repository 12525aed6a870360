#pragma once
// Port: persisted SIP registrations, so that a restart keeps phones reachable until their bindings expire. The app
// maps the SIP layer's bindings to these records (access knows nothing of SIP types).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace portier::access {

struct RegistrationRecord {
  std::string aor;       // extension number
  std::string key;       // identity of the binding within the AOR (instance + reg-id, or the contact)
  std::string contact;
  std::string instance;
  std::uint32_t reg_id = 0;
  std::uint16_t q_milli = 1000;
  std::string call_id;
  std::uint32_t cseq = 0;
  Clock::SystemTime expires_at{};
  std::string transport;  // "udp" | "tcp" | "tls"
  std::string source_address;
  std::uint16_t source_port = 0;
  std::string user_agent;
};

// Changes written together (one transaction): records to insert or replace, and (aor, key) pairs to delete.
struct RegistrationBatch {
  std::vector<RegistrationRecord> saves;
  std::vector<std::pair<std::string, std::string>> removes;
  bool empty() const { return saves.empty() && removes.empty(); }
};

class RegistrationRepository {
 public:
  virtual ~RegistrationRepository() = default;
  virtual Status save(const RegistrationRecord& record) = 0;  // insert or replace by (aor, key)
  virtual Status remove(const std::string& aor, const std::string& key) = 0;
  // All or nothing: removes first, then saves.
  virtual Status apply(const RegistrationBatch& batch) = 0;
  virtual Result<std::vector<RegistrationRecord>> load() const = 0;
};

}  // namespace portier::access
