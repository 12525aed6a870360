// /api/auth/*: onboarding, login, logout, password change, and the state the UI starts from.
#include "api/json_response.hpp"
#include "api/routes.hpp"
#include "base/error.hpp"

namespace portier::api {
namespace {

constexpr std::size_t kMaxPassword = 1024;

Response logged_in(ApiContext& ctx, const access::LoginOk& ok) {
  auto r = api::ok({{"csrf_token", ok.ticket.csrf}, {"user", user_json(ok.user)}});
  r.headers["Set-Cookie"] = session_cookie(ctx, ok.ticket.token);
  return r;
}

bool read_credentials(const Request& req, std::string& user, std::string& password, Response& error) {
  json body;
  if (!parse_json_body(req, body, error) || !require_string(body, "username", user, error) ||
      !require_string(body, "password", password, error))
    return false;
  if (password.size() > kMaxPassword) {
    error = fail(400, "invalid_argument", "password too long");
    return false;
  }
  return true;
}

Response state(ApiContext& ctx, Request& req) {
  Response ignored;
  std::optional<access::Principal> p;
  if (req.cookie(kSessionCookie) || !req.header("Authorization").empty()) p = authenticate(ctx, req, ignored);
  return ok({{"onboarding_required", ctx.auth.onboarding_required()},
             {"authenticated", p.has_value()},
             {"user", p ? user_json(p->user) : json(nullptr)},
             {"csrf_token", p && !p->csrf.empty() ? json(p->csrf) : json(nullptr)},
             // What this server offers, so the UI shows only pages that work (no probing for 404s).
             {"features", {{"doors", ctx.doors != nullptr}, {"sim", ctx.sim != nullptr}, {"sip", ctx.sip != nullptr},
                           {"passes", ctx.passes != nullptr}, {"devices", ctx.devices != nullptr},
                           {"webrtc", ctx.webrtc != nullptr}}}});
}

Response onboard(ApiContext& ctx, Request& req) {
  std::string user, password;
  Response error;
  if (!read_credentials(req, user, password, error)) return error;
  auto r = ctx.auth.onboard(user, password);
  if (!r) return fail(r.error());
  return logged_in(ctx, *r);
}

Response login(ApiContext& ctx, Request& req) {
  std::string user, password;
  Response error;
  if (!read_credentials(req, user, password, error)) return error;
  auto r = ctx.auth.login(user, password, req.client_ip);
  if (!r) {
    auto res = fail(r.error());
    if (r.error().code == errc::rate_limited)
      res.headers["Retry-After"] = std::to_string(ctx.auth.retry_after(user, req.client_ip).count());
    return res;
  }
  return logged_in(ctx, *r);
}

Response logout(ApiContext& ctx, Request& req) {
  // Logging out needs the CSRF token too, so a foreign page cannot log a user out.
  Response error;
  if (!authenticate(ctx, req, error)) return error;
  if (auto cookie = req.cookie(kSessionCookie)) ctx.auth.logout(*cookie);
  auto r = ok();
  r.headers["Set-Cookie"] = expired_session_cookie(ctx);
  return r;
}

Response change_password(ApiContext& ctx, Request& req, const access::Principal& p) {
  json body;
  Response error;
  std::string current, replacement;
  if (!parse_json_body(req, body, error) || !require_string(body, "current_password", current, error) ||
      !require_string(body, "new_password", replacement, error))
    return error;
  if (auto st = ctx.auth.change_password(p.user.id, current, replacement); !st) return fail(st.error());
  return ok();
}

}  // namespace

void register_auth_routes(Router& router, ApiContext& ctx) {
  router.add_sync("GET", "/api/auth/state", [&ctx](Request& req) { return state(ctx, req); });
  router.add_sync("POST", "/api/auth/onboard", [&ctx](Request& req) { return onboard(ctx, req); });
  router.add_sync("POST", "/api/auth/login", [&ctx](Request& req) { return login(ctx, req); });
  router.add_sync("POST", "/api/auth/logout", [&ctx](Request& req) { return logout(ctx, req); });
  router.add_sync("POST", "/api/auth/password",
                  guarded(ctx, Access::user, [&ctx](Request& req, const access::Principal& p) {
                    return change_password(ctx, req, p);
                  }));
}

}  // namespace portier::api
