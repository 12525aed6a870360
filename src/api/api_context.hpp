#pragma once
// What route handlers share: the domain services and the server-wide settings. Owned by ApiServer's creator (app).
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "access/auth_service.hpp"
#include "api/event_hub.hpp"
#include "api/http_types.hpp"
#include "api/metrics.hpp"

namespace portier::api {

struct ApiContext {
  access::AuthService& auth;
  Metrics& metrics;
  EventHub& events;
  bool secure_cookies = false;                       // set the Secure flag (TLS)
  std::chrono::seconds session_max_age{std::chrono::days{30}};
  std::string version;
};

constexpr const char* kSessionCookie = "portier_session";

// Who may call a route.
enum class Access { user, admin };
using AuthedHandler = std::function<Response(Request&, const access::Principal&)>;

// Resolves the caller from `Authorization: Bearer` or the session cookie and enforces CSRF on cookie-authenticated
// writes. On failure `error` holds the 401/403 response.
std::optional<access::Principal> authenticate(ApiContext& ctx, const Request& req, Response& error);
// Wraps a handler so it runs only for an authenticated caller with enough rights.
SyncHandler guarded(ApiContext& ctx, Access access, AuthedHandler handler);

std::string session_cookie(const ApiContext& ctx, const std::string& token);
std::string expired_session_cookie(const ApiContext& ctx);

}  // namespace portier::api
