#pragma once
// Port: the stored event history behind GET /api/events/history and WebSocket resume. Every event the bus publishes
// is appended and gets an increasing id; a client that reconnects asks for everything after the last id it saw.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/event.hpp"
#include "base/result.hpp"

namespace portier::access {

struct StoredEvent {
  std::int64_t id = 0;  // 1, 2, 3, ... in publication order
  Event event;
};

struct HistoryQuery {
  std::optional<std::int64_t> before_id;  // newest-first paging: only ids < before_id
  std::optional<std::int64_t> after_id;   // resume: only ids > after_id (answered oldest first)
  std::optional<std::string> door;
  std::vector<EventType> types;           // empty: all types
  std::optional<Clock::SystemTime> since;
  std::optional<Clock::SystemTime> until;
  std::size_t limit = 50;                 // 1..1000
};

class HistoryRepository {
 public:
  virtual ~HistoryRepository() = default;
  virtual Result<std::int64_t> append(const Event& event) = 0;
  // Newest first, unless after_id is set (then oldest first, for gap-free resume).
  virtual Result<std::vector<StoredEvent>> query(const HistoryQuery& q) const = 0;
  virtual Result<std::int64_t> last_id() const = 0;
  // Deletes events older than `cutoff` (retention); returns how many went.
  virtual Result<std::int64_t> purge_before(Clock::SystemTime cutoff) = 0;
};

}  // namespace portier::access
