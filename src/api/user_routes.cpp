// /api/users (admins) and /api/tokens (each user's own API tokens).
#include "api/json_response.hpp"
#include "api/routes.hpp"
#include "base/clock.hpp"

namespace portier::api {

json user_json(const access::User& u) {
  return {{"name", u.name}, {"role", access::role_name(u.role)}, {"created_at", format_iso8601(u.created_at)}};
}

namespace {

Response list_users(ApiContext& ctx) {
  json users = json::array();
  for (const auto& u : ctx.auth.list_users()) users.push_back(user_json(u));
  return ok({{"users", users}});
}

Response add_user(ApiContext& ctx, Request& req) {
  json body;
  Response error;
  std::string name, password, role_text = "resident";
  if (!parse_json_body(req, body, error) || !require_string(body, "username", name, error) ||
      !require_string(body, "password", password, error))
    return error;
  if (body.contains("role") && !require_string(body, "role", role_text, error)) return error;
  auto role = access::parse_role(role_text);
  if (!role) return fail(400, "invalid_argument", "role: must be admin or resident");
  auto u = ctx.auth.add_user(name, *role, password);
  if (!u) return fail(u.error());
  return ok({{"user", user_json(*u)}}, 201);
}

Response remove_user(ApiContext& ctx, Request& req, const access::Principal& p) {
  const auto& name = req.params["name"];
  if (name == p.user.name) return fail(409, "conflict", "you cannot remove yourself");
  if (auto st = ctx.auth.remove_user(name); !st) return fail(st.error());
  return ok();
}

json token_json(const access::ApiToken& t) {
  return {{"id", t.id},
          {"label", t.label},
          {"created_at", format_iso8601(t.created_at)},
          {"last_used_at", t.last_used_at ? json(format_iso8601(*t.last_used_at)) : json(nullptr)}};
}

Response list_tokens(ApiContext& ctx, const access::Principal& p) {
  json tokens = json::array();
  for (const auto& t : ctx.auth.list_tokens(p.user.id)) tokens.push_back(token_json(t));
  return ok({{"tokens", tokens}});
}

Response create_token(ApiContext& ctx, Request& req, const access::Principal& p) {
  json body;
  Response error;
  std::string label;
  if (!parse_json_body(req, body, error)) return error;
  if (body.contains("label") && !require_string(body, "label", label, error)) return error;
  auto t = ctx.auth.create_token(p.user.id, label);
  if (!t) return fail(t.error());
  json fields = token_json(t->first);
  fields["token"] = t->second;
  return ok(fields, 201);
}

Response revoke_token(ApiContext& ctx, Request& req, const access::Principal& p) {
  const auto& text = req.params["id"];
  std::int64_t id = 0;
  try {
    std::size_t used = 0;
    id = std::stoll(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
  } catch (const std::exception&) {
    return fail(400, "invalid_argument", "token id must be a number");
  }
  if (auto st = ctx.auth.revoke_token(p.user.id, id); !st) return fail(st.error());
  return ok();
}

}  // namespace

void register_user_routes(Router& router, ApiContext& ctx) {
  router.add_sync("GET", "/api/users",
                  guarded(ctx, Access::admin, [&ctx](Request&, const access::Principal&) { return list_users(ctx); }));
  router.add_sync("POST", "/api/users", guarded(ctx, Access::admin, [&ctx](Request& req, const access::Principal&) {
                    return add_user(ctx, req);
                  }));
  router.add_sync("DELETE", "/api/users/{name}",
                  guarded(ctx, Access::admin,
                          [&ctx](Request& req, const access::Principal& p) { return remove_user(ctx, req, p); }));
  router.add_sync("GET", "/api/tokens", guarded(ctx, Access::user, [&ctx](Request&, const access::Principal& p) {
                    return list_tokens(ctx, p);
                  }));
  router.add_sync("POST", "/api/tokens", guarded(ctx, Access::user, [&ctx](Request& req, const access::Principal& p) {
                    return create_token(ctx, req, p);
                  }));
  router.add_sync("DELETE", "/api/tokens/{id}",
                  guarded(ctx, Access::user,
                          [&ctx](Request& req, const access::Principal& p) { return revoke_token(ctx, req, p); }));
}

}  // namespace portier::api
