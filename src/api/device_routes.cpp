// /api/devices (MQTT door devices: list, add, rotate, remove; admin only) and the door-lock-server seed's device
// endpoints /device_login, /device_ping, /device_lifesign_confirm (legacy-doorlock profile, unauthenticated: the
// device's name and password, then its token, are the credentials). The seed's JSON shape is kept exactly:
// {"status":"OK",...} or {"status":"ERROR","message":...}, always HTTP 200 so that unmodified firmware reads it.
#include "api/device_control.hpp"
#include "api/json_response.hpp"
#include "api/routes.hpp"
#include "base/error.hpp"
#include "base/log.hpp"

namespace portier::api {
namespace {

json device_json(const DeviceView& d) {
  json j = {{"name", d.name},         {"protocol", d.protocol},     {"insecure", d.insecure},
            {"online", d.online},     {"outputs", d.outputs},       {"commands", d.commands},
            {"refusals", d.refusals}, {"timeouts", d.timeouts},     {"last_error", d.last_error},
            {"doors", d.doors}};
  j["last_seen"] = d.last_seen ? json(format_iso8601(*d.last_seen)) : json(nullptr);
  return j;
}

Response list(ApiContext& ctx) {
  json out = json::array();
  for (const auto& d : ctx.devices->devices()) out.push_back(device_json(d));
  return ok({{"connected", ctx.devices->connected()}, {"broker", ctx.devices->broker()}, {"devices", out}});
}

json credentials_json(const DeviceCredentials& c) {
  json j = json::object();
  for (const auto& [k, v] : c) j[k] = v;
  return j;
}

Response add(ApiContext& ctx, Request& req) {
  json body;
  Response error;
  if (!parse_json_body(req, body, error)) return error;
  std::string name;
  if (!require_string(body, "name", name, error)) return error;
  std::string protocol = "native", password;
  if (auto p = body.find("protocol"); p != body.end()) {
    if (!p->is_string()) return fail(400, "invalid_argument", "protocol: expected native or legacy-doorlock");
    protocol = p->get<std::string>();
  }
  if (auto p = body.find("password"); p != body.end()) {
    if (!p->is_string()) return fail(400, "invalid_argument", "password: expected a string");
    password = p->get<std::string>();
  }
  auto r = ctx.devices->add(name, protocol, password);
  if (!r) return fail(r.error());
  return ok({{"credentials", credentials_json(*r)}}, 201);
}

Response rotate(ApiContext& ctx, Request& req) {
  auto r = ctx.devices->rotate(req.params["name"], "");
  if (!r) return fail(r.error());
  return ok({{"credentials", credentials_json(*r)}});
}

Response remove(ApiContext& ctx, Request& req) {
  if (auto st = ctx.devices->remove(req.params["name"]); !st) return fail(st.error());
  return ok({{"removed", req.params["name"]}});
}

// ---- legacy-doorlock (seed) endpoints ----

Response seed_error(const std::string& message) {
  return Response::json(200, json({{"status", "ERROR"}, {"message", message}}).dump());
}

Response seed_ok(json fields = json::object()) {
  fields["status"] = "OK";
  return Response::json(200, fields.dump());
}

std::string query(const Request& req, const char* key) {
  auto it = req.query.find(key);
  return it == req.query.end() ? std::string() : it->second;
}

Response device_login(ApiContext& ctx, Request& req) {
  auto r = ctx.devices->legacy_login(query(req, "name"), query(req, "password"), req.client_ip);
  if (!r) return seed_error(r.error().code == errc::unauthenticated ? "wrong device name or password" : r.error().what());
  return seed_ok({{"token", r->token},
                  {"lifesign", r->lifesign},
                  {"trigger", r->trigger},
                  {"topic", r->topic},
                  {"timeout", r->timeout}});
}

Response device_ping(ApiContext& ctx, Request& req) {
  if (auto st = ctx.devices->legacy_ping(query(req, "token")); !st)
    return seed_error(st.error().code == errc::unauthenticated ? "unknown token: log in again" : st.error().what());
  return seed_ok();
}

Response device_confirm(ApiContext& ctx, Request& req) {
  if (auto st = ctx.devices->legacy_confirm(query(req, "token")); !st)
    return seed_error("unknown token: log in again");
  return seed_ok();
}

}  // namespace

void register_device_routes(Router& router, ApiContext& ctx) {
  if (!ctx.devices) return;
  router.add_sync("GET", "/api/devices",
                  guarded(ctx, Access::admin, [&ctx](Request&, const access::Principal&) { return list(ctx); }));
  router.add_sync("POST", "/api/devices",
                  guarded(ctx, Access::admin, [&ctx](Request& req, const access::Principal&) { return add(ctx, req); }));
  router.add_sync("POST", "/api/devices/{name}/rotate", guarded(ctx, Access::admin, [&ctx](Request& req, const access::Principal&) {
                    return rotate(ctx, req);
                  }));
  router.add_sync("DELETE", "/api/devices/{name}", guarded(ctx, Access::admin, [&ctx](Request& req, const access::Principal&) {
                    return remove(ctx, req);
                  }));
  router.add_sync("GET", "/device_login", [&ctx](Request& req) { return device_login(ctx, req); });
  router.add_sync("GET", "/device_ping", [&ctx](Request& req) { return device_ping(ctx, req); });
  router.add_sync("GET", "/device_lifesign_confirm", [&ctx](Request& req) { return device_confirm(ctx, req); });
}

}  // namespace portier::api
