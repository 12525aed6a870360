#pragma once
#include <functional>

#include "access/user_repository.hpp"
#include "base/clock.hpp"
#include "store/sqlite/database.hpp"

namespace portier::store::sqlite {

class SqliteUserRepository final : public access::UserRepository {
 public:
  SqliteUserRepository(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  Result<access::User> create(const std::string& name, access::Role role, const std::string& password_hash) override;
  Result<access::User> create_first(const std::string& name, access::Role role,
                                    const std::string& password_hash) override;
  std::optional<access::User> find_by_name(const std::string& name) override;
  std::optional<access::User> find_by_id(std::int64_t id) override;
  std::vector<access::User> list() override;
  Status update_password(std::int64_t id, const std::string& password_hash) override;
  Status update_role(std::int64_t id, access::Role role) override;
  Status remove(std::int64_t id) override;
  std::int64_t count() override;

 private:
  std::optional<access::User> find_one(std::string_view sql, const std::function<void(Statement&)>& bind);
  Status update_one(std::string_view sql, std::int64_t id, std::string_view value);

  Database& db_;
  const Clock& clock_;
};

}  // namespace portier::store::sqlite
