#pragma once
#include "access/guest_pass_repository.hpp"
#include "store/sqlite/database.hpp"

namespace portier::store::sqlite {

class SqliteGuestPassRepository final : public access::GuestPassRepository {
 public:
  explicit SqliteGuestPassRepository(Database& db) : db_(db) {}
  Result<access::GuestPass> insert(const access::GuestPass& pass) override;
  Result<std::optional<access::GuestPass>> find(std::int64_t id) override;
  Result<std::optional<access::GuestPass>> find_by_token_hash(const std::string& token_hash) override;
  Result<std::vector<access::GuestPass>> list() override;
  Status update(const access::GuestPass& pass) override;
  Status set_token_hash(std::int64_t id, const std::string& token_hash) override;
  Status revoke(std::int64_t id, Clock::SystemTime when) override;
  Status remove(std::int64_t id) override;
  Result<bool> take_use(std::int64_t id, Clock::SystemTime when) override;
  Status return_use(std::int64_t id) override;
  Status set_pin_state(std::int64_t id, int failures, std::optional<Clock::SystemTime> locked_until) override;
  Result<int> purge_ended_before(Clock::SystemTime cutoff) override;

 private:
  Status changed_one(Status st);
  Database& db_;
};

}  // namespace portier::store::sqlite
