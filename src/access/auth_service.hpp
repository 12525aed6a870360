#pragma once
// Who is calling: logins (with per-account and per-IP lockout and uniform errors), first-run onboarding, sessions,
// API tokens and user management. Used by the HTTP API and the CLI; owns no storage of its own beyond sessions.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "access/login_throttle.hpp"
#include "access/password_hasher.hpp"
#include "access/session_manager.hpp"
#include "access/token_repository.hpp"
#include "access/user_repository.hpp"
#include "base/clock.hpp"
#include "base/result.hpp"

namespace portier::access {

struct AuthOptions {
  SessionManager::Options sessions;
  LoginThrottle::Options account_throttle;
  LoginThrottle::Options ip_throttle{20, std::chrono::minutes{15}, std::chrono::minutes{15}, 100000};
};

// The caller of an API request, once authenticated.
struct Principal {
  enum class Via { session, token };
  User user;
  Via via = Via::session;
  std::string csrf;              // session's CSRF token (empty for API tokens)
  std::int64_t token_id = 0;     // set when via == token
};

struct LoginOk {
  User user;
  SessionTicket ticket;
};

class AuthService {
 public:
  AuthService(UserRepository& users, TokenRepository& tokens, const PasswordHasher& hasher, const Clock& clock,
              AuthOptions options);

  // errc::unauthenticated for any wrong name/password (same message, same cost); errc::rate_limited when the account
  // or the IP is locked (retry_after tells how long).
  Result<LoginOk> login(const std::string& name, const std::string& password, const std::string& ip);
  std::chrono::seconds retry_after(const std::string& name, const std::string& ip);
  // Creates the first admin and logs in; errc::conflict once any user exists.
  Result<LoginOk> onboard(const std::string& name, const std::string& password);
  bool onboarding_required();
  void logout(const std::string& session_token);

  std::optional<Principal> authenticate_session(const std::string& session_token);
  std::optional<Principal> authenticate_token(const std::string& bearer_token);

  Status change_password(std::int64_t user_id, const std::string& current, const std::string& replacement);
  Result<User> add_user(const std::string& name, Role role, const std::string& password);
  Status set_password(const std::string& name, const std::string& password);  // admin reset / CLI
  Status remove_user(const std::string& name);
  std::vector<User> list_users();

  // Returns the stored token record and the token itself (shown once).
  Result<std::pair<ApiToken, std::string>> create_token(std::int64_t user_id, const std::string& label);
  Status revoke_token(std::int64_t user_id, std::int64_t token_id);
  std::vector<ApiToken> list_tokens(std::int64_t user_id);

  std::string dump() const;

 private:
  Result<std::string> hash_new_password(const std::string& password) const;

  UserRepository& users_;
  TokenRepository& tokens_;
  const PasswordHasher& hasher_;
  const Clock& clock_;
  SessionManager sessions_;
  LoginThrottle account_throttle_;
  LoginThrottle ip_throttle_;
};

}  // namespace portier::access
