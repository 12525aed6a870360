#pragma once
// Login sessions, kept in memory (a restart logs everyone out). The cookie carries a random token; the table is
// keyed by its SHA-256 so a memory dump does not reveal live cookies. Each session has its own CSRF token.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/clock.hpp"

namespace portier::access {

struct SessionTicket {
  std::string token;  // goes into the cookie
  std::string csrf;   // goes into X-CSRF-Token
};

struct Session {
  std::int64_t user_id = 0;
  std::string csrf;
  Clock::SteadyTime created{};
  Clock::SteadyTime last_seen{};
};

class SessionManager {
 public:
  struct Options {
    std::chrono::seconds idle{std::chrono::hours{12}};
    std::chrono::seconds absolute{std::chrono::days{30}};
    std::size_t max_sessions = 10000;  // the oldest are dropped past this
  };
  SessionManager(const Clock& clock, Options options);

  SessionTicket create(std::int64_t user_id);
  // The live session for a cookie token; refreshes its idle timer. Expired sessions are removed.
  std::optional<Session> lookup(const std::string& token);
  void destroy(const std::string& token);
  void destroy_for_user(std::int64_t user_id);
  std::size_t size() const { return sessions_.size(); }
  std::string dump() const;

 private:
  bool expired(const Session& s, Clock::SteadyTime now) const;
  void sweep(Clock::SteadyTime now);

  const Clock& clock_;
  Options options_;
  std::unordered_map<std::string, Session> sessions_;  // key: sha256(token)
};

}  // namespace portier::access
