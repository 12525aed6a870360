#include "access/session_manager.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "base/random.hpp"

namespace portier::access {

SessionManager::SessionManager(const Clock& clock, Options options) : clock_(clock), options_(options) {}

bool SessionManager::expired(const Session& s, Clock::SteadyTime now) const {
  return now - s.last_seen >= options_.idle || now - s.created >= options_.absolute;
}

void SessionManager::sweep(Clock::SteadyTime now) {
  std::erase_if(sessions_, [&](const auto& kv) { return expired(kv.second, now); });
  while (sessions_.size() >= options_.max_sessions) {
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(),
                                   [](const auto& a, const auto& b) { return a.second.created < b.second.created; });
    sessions_.erase(oldest);
  }
}

SessionTicket SessionManager::create(std::int64_t user_id) {
  const auto now = clock_.steady_now();
  if (sessions_.size() >= options_.max_sessions / 2) sweep(now);
  SessionTicket t{random_token(32), random_token(32)};
  sessions_[sha256_hex(t.token)] = Session{user_id, t.csrf, now, now};
  return t;
}

std::optional<Session> SessionManager::lookup(const std::string& token) {
  if (token.empty()) return std::nullopt;
  auto it = sessions_.find(sha256_hex(token));
  if (it == sessions_.end()) return std::nullopt;
  const auto now = clock_.steady_now();
  if (expired(it->second, now)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

void SessionManager::destroy(const std::string& token) { sessions_.erase(sha256_hex(token)); }

void SessionManager::destroy_for_user(std::int64_t user_id) {
  std::erase_if(sessions_, [&](const auto& kv) { return kv.second.user_id == user_id; });
}

std::string SessionManager::dump() const {
  return fmt::format("SessionManager{{sessions={}, idle={}s, absolute={}s}}", sessions_.size(), options_.idle.count(),
                     options_.absolute.count());
}

}  // namespace portier::access
