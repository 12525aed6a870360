#pragma once
#include "access/token_repository.hpp"
#include "base/clock.hpp"
#include "store/sqlite/database.hpp"

namespace portier::store::sqlite {

class SqliteTokenRepository final : public access::TokenRepository {
 public:
  SqliteTokenRepository(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  Result<access::ApiToken> create(std::int64_t user_id, const std::string& label,
                                  const std::string& token_hash) override;
  std::optional<access::ApiToken> find_by_hash(const std::string& token_hash) override;
  std::vector<access::ApiToken> list_for_user(std::int64_t user_id) override;
  Status touch(std::int64_t id, Clock::SystemTime when) override;
  Status revoke(std::int64_t user_id, std::int64_t id) override;

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace portier::store::sqlite
