// /api/doors (list, unlock, lock, ring), /api/buttons (press counters) and door permissions.
#include "api/json_response.hpp"
#include "api/routes.hpp"
#include "base/error.hpp"

namespace portier::api {
namespace {

json door_json(const access::DoorSnapshot& d) {
  json j = {{"id", d.id},
            {"name", d.name},
            {"state", d.state()},
            {"mode", access::to_string(d.mode)},
            {"unlocked", d.unlocked},
            {"contact", access::to_string(d.contact)},
            {"left_open", d.left_open},
            {"forced_open", d.forced_open},
            {"fault", d.fault}};
  if (d.relock_at) j["relock_at"] = format_iso8601(*d.relock_at);
  if (d.fault) j["fault_message"] = d.fault_message;
  return j;
}

Response list_doors(ApiContext& ctx, const access::Principal& p) {
  auto doors = ctx.doors->doors_for(actor_for(p));
  if (!doors) return fail(doors.error());
  json out = json::array();
  for (const auto& d : *doors) out.push_back(door_json(d));
  return ok({{"doors", out}});
}

void unlock(ApiContext& ctx, Request& req, const access::Principal& p, Reply reply) {
  ctx.doors->unlock(req.params["id"], actor_for(p), method_for(req, p),
                    [reply = std::move(reply)](Result<access::DoorService::UnlockReply> r) {
                      if (!r) return reply(fail(r.error()));
                      json j = {{"door", r->door}, {"state", "unlocked"}, {"extended", r->extended},
                                {"audit_seq", r->audit_seq}};
                      if (r->relock_at) j["relock_at"] = format_iso8601(*r->relock_at);
                      reply(ok(j));
                    });
}

void lock(ApiContext& ctx, Request& req, const access::Principal& p, Reply reply) {
  ctx.doors->lock(req.params["id"], actor_for(p), method_for(req, p),
                  [reply = std::move(reply)](Result<access::DoorService::LockReply> r) {
                    if (!r) return reply(fail(r.error()));
                    reply(ok({{"door", r->door}, {"state", "locked"}, {"audit_seq", r->audit_seq}}));
                  });
}

Response ring(ApiContext& ctx, Request& req, const access::Principal& p) {
  auto r = ctx.doors->ring(req.params["id"], actor_for(p), method_for(req, p));
  if (!r) return fail(r.error());
  return ok({{"door", req.params["id"]}, {"rang", *r}});
}

Response buttons(ApiContext& ctx) {
  json out = json::array();
  for (const auto& b : ctx.doors->call_buttons()) {
    out.push_back({{"id", b.config.id},
                   {"door", b.config.door},
                   {"line", b.has_line},
                   {"presses", b.stats.presses},
                   {"rings", b.stats.rings},
                   {"throttled", b.stats.throttled},
                   {"bounces", b.stats.bounces},
                   {"edges", b.stats.edges}});
  }
  return ok({{"buttons", out}});
}

Response list_permissions(ApiContext& ctx) {
  auto grants = ctx.permissions->list();
  if (!grants) return fail(grants.error());
  std::map<std::string, std::string> names;
  for (const auto& u : ctx.auth.list_users()) names[std::to_string(u.id)] = u.name;
  json out = json::array();
  for (const auto& g : *grants) {
    auto it = names.find(g.user_id);
    if (it != names.end()) out.push_back({{"user", it->second}, {"door", g.door_id}});
  }
  return ok({{"permissions", out}});
}

// PUT /api/users/{name}/doors {"doors":["front",...]}: the user's door list becomes exactly this.
Response set_user_doors(ApiContext& ctx, Request& req) {
  json body;
  Response error;
  if (!parse_json_body(req, body, error)) return error;
  auto doors = body.find("doors");
  if (doors == body.end() || !doors->is_array()) return fail(400, "invalid_argument", "doors: required list of ids");
  std::set<std::string> wanted;
  for (const auto& d : *doors) {
    if (!d.is_string()) return fail(400, "invalid_argument", "doors: ids must be strings");
    if (!ctx.doors->door(d.get<std::string>())) return fail(404, "not_found", "no such door: " + d.get<std::string>());
    wanted.insert(d.get<std::string>());
  }
  std::string user_id;
  for (const auto& u : ctx.auth.list_users())
    if (u.name == req.params["name"]) user_id = std::to_string(u.id);
  if (user_id.empty()) return fail(404, "not_found", "no such user");
  auto current = ctx.permissions->doors_for_user(user_id);
  if (!current) return fail(current.error());
  for (const auto& d : *current)
    if (!wanted.count(d))
      if (auto st = ctx.permissions->revoke(user_id, d); !st) return fail(st.error());
  for (const auto& d : wanted)
    if (auto st = ctx.permissions->grant(user_id, d); !st) return fail(st.error());
  return ok({{"user", req.params["name"]}, {"doors", wanted}});
}

}  // namespace

void register_door_routes(Router& router, ApiContext& ctx) {
  if (!ctx.doors) return;
  router.add_sync("GET", "/api/doors",
                  guarded(ctx, Access::user, [&ctx](Request&, const access::Principal& p) { return list_doors(ctx, p); }));
  router.add("POST", "/api/doors/{id}/unlock",
             guarded_async(ctx, Access::user, [&ctx](Request& req, const access::Principal& p, Reply reply) {
               unlock(ctx, req, p, std::move(reply));
             }));
  router.add("POST", "/api/doors/{id}/lock",
             guarded_async(ctx, Access::user, [&ctx](Request& req, const access::Principal& p, Reply reply) {
               lock(ctx, req, p, std::move(reply));
             }));
  router.add_sync("POST", "/api/doors/{id}/ring", guarded(ctx, Access::user, [&ctx](Request& req, const access::Principal& p) {
                    return ring(ctx, req, p);
                  }));
  router.add_sync("GET", "/api/buttons",
                  guarded(ctx, Access::admin, [&ctx](Request&, const access::Principal&) { return buttons(ctx); }));
  if (!ctx.permissions) return;
  router.add_sync("GET", "/api/permissions", guarded(ctx, Access::admin, [&ctx](Request&, const access::Principal&) {
                    return list_permissions(ctx);
                  }));
  router.add_sync("PUT", "/api/users/{name}/doors",
                  guarded(ctx, Access::admin,
                          [&ctx](Request& req, const access::Principal&) { return set_user_doors(ctx, req); }));
}

}  // namespace portier::api
