#pragma once
// Port: guest passes at rest. take_use() is the one atomic step that matters: with one use left, only one of many
// concurrent opens gets it (an UPDATE ... WHERE uses < max_uses in SQL).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/guest_pass.hpp"
#include "base/clock.hpp"
#include "base/result.hpp"

namespace portier::access {

class GuestPassRepository {
 public:
  virtual ~GuestPassRepository() = default;
  // Stores a new pass (id ignored) and returns it with its id.
  virtual Result<GuestPass> insert(const GuestPass& pass) = 0;
  virtual Result<std::optional<GuestPass>> find(std::int64_t id) = 0;
  virtual Result<std::optional<GuestPass>> find_by_token_hash(const std::string& token_hash) = 0;
  // Newest first.
  virtual Result<std::vector<GuestPass>> list() = 0;
  // Writes what a host may edit: label, doors, window, schedule, max_uses, pin_hash, note. errc::not_found if gone.
  virtual Status update(const GuestPass& pass) = 0;
  virtual Status set_token_hash(std::int64_t id, const std::string& token_hash) = 0;
  virtual Status revoke(std::int64_t id, Clock::SystemTime when) = 0;
  virtual Status remove(std::int64_t id) = 0;
  // Takes one use unless the pass is revoked or has none left; false when it could not.
  virtual Result<bool> take_use(std::int64_t id, Clock::SystemTime when) = 0;
  // Gives back a use taken for an unlock that then failed.
  virtual Status return_use(std::int64_t id) = 0;
  virtual Status set_pin_state(std::int64_t id, int failures, std::optional<Clock::SystemTime> locked_until) = 0;
  // Deletes passes whose window ended before `cutoff`; returns how many.
  virtual Result<int> purge_ended_before(Clock::SystemTime cutoff) = 0;
};

}  // namespace portier::access
