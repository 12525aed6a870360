#pragma once
// In-memory GuestPassRepository for unit tests (the server uses the SQLite one).
#include <map>

#include "access/guest_pass_repository.hpp"

namespace portier::access {

class MemoryGuestPassRepository final : public GuestPassRepository {
 public:
  Result<GuestPass> insert(const GuestPass& pass) override;
  Result<std::optional<GuestPass>> find(std::int64_t id) override;
  Result<std::optional<GuestPass>> find_by_token_hash(const std::string& token_hash) override;
  Result<std::vector<GuestPass>> list() override;
  Status update(const GuestPass& pass) override;
  Status set_token_hash(std::int64_t id, const std::string& token_hash) override;
  Status revoke(std::int64_t id, Clock::SystemTime when) override;
  Status remove(std::int64_t id) override;
  Result<bool> take_use(std::int64_t id, Clock::SystemTime when) override;
  Status return_use(std::int64_t id) override;
  Status set_pin_state(std::int64_t id, int failures, std::optional<Clock::SystemTime> locked_until) override;
  Result<int> purge_ended_before(Clock::SystemTime cutoff) override;

  bool fail = false;  // every call fails with errc::unavailable (a store that is down)

 private:
  GuestPass* get(std::int64_t id);
  std::map<std::int64_t, GuestPass> passes_;
  std::int64_t next_id_ = 1;
};

}  // namespace portier::access
