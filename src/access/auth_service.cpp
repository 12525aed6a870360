#include "access/auth_service.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "base/error.hpp"
#include "base/random.hpp"

namespace portier::access {
namespace {
constexpr const char* kBadCredentials = "invalid username or password";
constexpr const char* kLocked = "too many failed attempts; try again later";
constexpr const char* kAccountPrefix = "user:";
constexpr const char* kIpPrefix = "ip:";
}  // namespace

AuthService::AuthService(UserRepository& users, TokenRepository& tokens, const PasswordHasher& hasher,
                         const Clock& clock, AuthOptions options)
    : users_(users),
      tokens_(tokens),
      hasher_(hasher),
      clock_(clock),
      sessions_(clock, options.sessions),
      account_throttle_(clock, options.account_throttle),
      ip_throttle_(clock, options.ip_throttle) {}

std::chrono::seconds AuthService::retry_after(const std::string& name, const std::string& ip) {
  return std::max(account_throttle_.locked_for(kAccountPrefix + name), ip_throttle_.locked_for(kIpPrefix + ip));
}

Result<LoginOk> AuthService::login(const std::string& name, const std::string& password, const std::string& ip) {
  if (retry_after(name, ip).count() > 0) return Error(errc::rate_limited, kLocked);
  auto user = valid_username(name) ? users_.find_by_name(name) : std::nullopt;
  // Verify against a dummy hash for unknown users so that both failures take the same time.
  const bool ok = hasher_.verify(user ? user->password_hash : hasher_.dummy_hash(), password) && user.has_value();
  if (!ok) {
    account_throttle_.record_failure(kAccountPrefix + name);
    ip_throttle_.record_failure(kIpPrefix + ip);
    return Error(errc::unauthenticated, kBadCredentials);
  }
  account_throttle_.reset(kAccountPrefix + name);
  return LoginOk{*user, sessions_.create(user->id)};
}

bool AuthService::onboarding_required() { return users_.count() == 0; }

Result<LoginOk> AuthService::onboard(const std::string& name, const std::string& password) {
  if (!valid_username(name)) return Error(errc::invalid_argument, "username: 1-64 characters of A-Z a-z 0-9 . _ @ -");
  auto hash = hash_new_password(password);
  if (!hash) return hash.error();
  auto user = users_.create_first(name, Role::admin, *hash);
  if (!user) return user.error();
  return LoginOk{*user, sessions_.create(user->id)};
}

void AuthService::logout(const std::string& session_token) { sessions_.destroy(session_token); }

std::optional<Principal> AuthService::authenticate_session(const std::string& session_token) {
  auto s = sessions_.lookup(session_token);
  if (!s) return std::nullopt;
  auto user = users_.find_by_id(s->user_id);
  if (!user) {
    sessions_.destroy(session_token);
    return std::nullopt;
  }
  return Principal{*user, Principal::Via::session, s->csrf, 0};
}

std::optional<Principal> AuthService::authenticate_token(const std::string& bearer_token) {
  if (bearer_token.size() < 16 || bearer_token.size() > 256) return std::nullopt;
  auto token = tokens_.find_by_hash(sha256_hex(bearer_token));
  if (!token) return std::nullopt;
  auto user = users_.find_by_id(token->user_id);
  if (!user) return std::nullopt;
  // Record use at most once a minute: a write per request would put an fsync on every API call.
  const auto now = clock_.now();
  if (!token->last_used_at || now - *token->last_used_at >= std::chrono::minutes{1}) (void)tokens_.touch(token->id, now);
  return Principal{*user, Principal::Via::token, {}, token->id};
}

Result<std::string> AuthService::hash_new_password(const std::string& password) const {
  if (auto problem = check_password_policy(password); !problem.empty()) return Error(errc::invalid_argument, problem);
  return hasher_.hash(password);
}

Status AuthService::change_password(std::int64_t user_id, const std::string& current, const std::string& replacement) {
  auto user = users_.find_by_id(user_id);
  if (!user) return Error(errc::not_found, "no such user");
  if (!hasher_.verify(user->password_hash, current)) return Error(errc::permission_denied, "current password is wrong");
  auto hash = hash_new_password(replacement);
  if (!hash) return hash.error();
  if (auto st = users_.update_password(user_id, *hash); !st) return st;
  return {};
}

Result<User> AuthService::add_user(const std::string& name, Role role, const std::string& password) {
  if (!valid_username(name)) return Error(errc::invalid_argument, "username: 1-64 characters of A-Z a-z 0-9 . _ @ -");
  auto hash = hash_new_password(password);
  if (!hash) return hash.error();
  return users_.create(name, role, *hash);
}

Status AuthService::set_password(const std::string& name, const std::string& password) {
  auto user = users_.find_by_name(name);
  if (!user) return Error(errc::not_found, "no such user: " + name);
  auto hash = hash_new_password(password);
  if (!hash) return hash.error();
  if (auto st = users_.update_password(user->id, *hash); !st) return st;
  sessions_.destroy_for_user(user->id);
  account_throttle_.reset(kAccountPrefix + name);
  return {};
}

Status AuthService::remove_user(const std::string& name) {
  auto user = users_.find_by_name(name);
  if (!user) return Error(errc::not_found, "no such user: " + name);
  if (user->role == Role::admin) {
    auto all = users_.list();
    auto admins = std::count_if(all.begin(), all.end(), [](const User& u) { return u.role == Role::admin; });
    if (admins <= 1) return Error(errc::conflict, "cannot remove the last admin");
  }
  if (auto st = users_.remove(user->id); !st) return st;
  sessions_.destroy_for_user(user->id);
  return {};
}

std::vector<User> AuthService::list_users() { return users_.list(); }

Result<std::pair<ApiToken, std::string>> AuthService::create_token(std::int64_t user_id, const std::string& label) {
  if (label.size() > 100) return Error(errc::invalid_argument, "label: at most 100 characters");
  std::string token = "ptk_" + random_token(32);
  auto rec = tokens_.create(user_id, label, sha256_hex(token));
  if (!rec) return rec.error();
  return std::pair{std::move(*rec), std::move(token)};
}

Status AuthService::revoke_token(std::int64_t user_id, std::int64_t token_id) { return tokens_.revoke(user_id, token_id); }

std::vector<ApiToken> AuthService::list_tokens(std::int64_t user_id) { return tokens_.list_for_user(user_id); }

std::string AuthService::dump() const {
  return fmt::format("AuthService{{{}, accounts={}, ips={}}}", sessions_.dump(), account_throttle_.size(),
                     ip_throttle_.size());
}

}  // namespace portier::access
