#pragma once
// Port: where users are kept. Implemented by store/sqlite (and later store/postgres); seen by access through this.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/user.hpp"
#include "base/result.hpp"

namespace portier::access {

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // Fails with errc::already_exists when the name is taken.
  virtual Result<User> create(const std::string& name, Role role, const std::string& password_hash) = 0;
  // Creates the user only when no user exists at all (first-run onboarding); errc::conflict otherwise. Atomic.
  virtual Result<User> create_first(const std::string& name, Role role, const std::string& password_hash) = 0;
  virtual std::optional<User> find_by_name(const std::string& name) = 0;
  virtual std::optional<User> find_by_id(std::int64_t id) = 0;
  virtual std::vector<User> list() = 0;
  virtual Status update_password(std::int64_t id, const std::string& password_hash) = 0;
  virtual Status update_role(std::int64_t id, Role role) = 0;
  virtual Status remove(std::int64_t id) = 0;
  virtual std::int64_t count() = 0;
};

}  // namespace portier::access
