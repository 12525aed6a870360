#pragma once
// Port: API tokens for scripts. Only a SHA-256 of each token is stored; the token itself is shown once.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/result.hpp"

namespace portier::access {

struct ApiToken {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string label;
  std::string token_hash;  // sha256 hex of the token
  Clock::SystemTime created_at{};
  std::optional<Clock::SystemTime> last_used_at;
};

class TokenRepository {
 public:
  virtual ~TokenRepository() = default;
  virtual Result<ApiToken> create(std::int64_t user_id, const std::string& label, const std::string& token_hash) = 0;
  virtual std::optional<ApiToken> find_by_hash(const std::string& token_hash) = 0;
  virtual std::vector<ApiToken> list_for_user(std::int64_t user_id) = 0;
  virtual Status touch(std::int64_t id, Clock::SystemTime when) = 0;
  // errc::not_found when no such token belongs to the user.
  virtual Status revoke(std::int64_t user_id, std::int64_t id) = 0;
};

}  // namespace portier::access
