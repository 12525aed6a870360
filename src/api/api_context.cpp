#include "api/api_context.hpp"

#include <algorithm>
#include <set>

#include "api/json_response.hpp"
#include "base/random.hpp"

namespace portier::api {

std::optional<access::Principal> authenticate(ApiContext& ctx, const Request& req, Response& error) {
  const auto authz = req.header("Authorization");
  if (!authz.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (authz.size() > kBearer.size() && iequals(std::string_view(authz).substr(0, kBearer.size()), kBearer)) {
      if (auto p = ctx.auth.authenticate_token(std::string(trim(std::string_view(authz).substr(kBearer.size())))))
        return p;
    }
    error = fail(401, "unauthenticated", "invalid API token");
    error.headers["WWW-Authenticate"] = "Bearer";
    return std::nullopt;
  }
  auto cookie = req.cookie(kSessionCookie);
  auto p = cookie ? ctx.auth.authenticate_session(*cookie) : std::nullopt;
  if (!p) {
    error = fail(401, "unauthenticated", "login required");
    return std::nullopt;
  }
  const bool safe = req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS";
  if (!safe && !constant_time_equal(req.header("X-CSRF-Token"), p->csrf)) {
    error = fail(403, "csrf", "missing or wrong X-CSRF-Token header");
    return std::nullopt;
  }
  return p;
}

SyncHandler guarded(ApiContext& ctx, Access access, AuthedHandler handler) {
  return [&ctx, access, h = std::move(handler)](Request& req) {
    Response error;
    auto p = authenticate(ctx, req, error);
    if (!p) return error;
    if (access == Access::admin && p->user.role != access::Role::admin)
      return fail(403, "forbidden", "administrators only");
    return h(req, *p);
  };
}

access::Actor actor_for(const access::Principal& p) {
  auto a = access::Actor::user(std::to_string(p.user.id), p.user.name, p.user.role == access::Role::admin);
  if (p.via == access::Principal::Via::token) {
    a.kind = access::ActorKind::token;
    a.id = std::to_string(p.token_id);
  }
  return a;
}

access::AccessMethod method_for(const Request& req, const access::Principal& p) {
  if (p.via == access::Principal::Via::session) return access::AccessMethod::web;
  return req.header("X-Portier-Client") == "cli" ? access::AccessMethod::cli : access::AccessMethod::api;
}

Handler guarded_async(ApiContext& ctx, Access access, AuthedAsyncHandler handler) {
  return [&ctx, access, h = std::move(handler)](Request& req, Reply reply) {
    Response error;
    auto p = authenticate(ctx, req, error);
    if (!p) return reply(std::move(error));
    if (access == Access::admin && p->user.role != access::Role::admin)
      return reply(fail(403, "forbidden", "administrators only"));
    h(req, *p, std::move(reply));
  };
}

bool may_see_door(ApiContext& ctx, const access::Principal& p, const std::string& door) {
  if (p.user.role == access::Role::admin) return true;
  if (door.empty() || !ctx.doors) return false;
  auto doors = ctx.doors->doors_for(actor_for(p));
  if (!doors) return false;
  return std::any_of(doors->begin(), doors->end(), [&](const access::DoorSnapshot& d) { return d.id == door; });
}

std::function<bool(const std::string&)> door_filter(ApiContext& ctx, const access::Principal& p) {
  if (p.user.role == access::Role::admin) return [](const std::string&) { return true; };
  std::set<std::string> allowed;
  if (ctx.doors) {
    if (auto doors = ctx.doors->doors_for(actor_for(p)))
      for (const auto& d : *doors) allowed.insert(d.id);
  }
  return [allowed = std::move(allowed)](const std::string& door) { return allowed.count(door) > 0; };
}

std::string session_cookie(const ApiContext& ctx, const std::string& token) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(ctx.session_max_age.count()) + (ctx.secure_cookies ? "; Secure" : "");
}

std::string expired_session_cookie(const ApiContext& ctx) {
  return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
         (ctx.secure_cookies ? "; Secure" : "");
}

}  // namespace portier::api
