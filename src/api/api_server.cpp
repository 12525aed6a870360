#include "api/api_server.hpp"

#include "api/json_response.hpp"
#include "api/routes.hpp"
#include "base/log.hpp"

namespace portier::api {

ApiServer::ApiServer(ApiContext& ctx, StaticFiles files)
    : ctx_(ctx), files_(std::move(files)), log_(portier::log::get("http")) {
  register_system_routes(router_, ctx_);
  register_auth_routes(router_, ctx_);
  register_user_routes(router_, ctx_);
  add_websocket("/api/events", [this](Request&, const access::Principal& p) {
    WsEndpoint e;
    e.on_open = [this, user = p.user](const std::shared_ptr<WsConnection>& c) {
      ctx_.events.add(c);
      c->send(json{{"type", "hello"}, {"user", user_json(user)}, {"version", ctx_.version}}.dump());
    };
    e.on_close = [this](const std::shared_ptr<WsConnection>& c) { ctx_.events.remove(c); };
    return e;
  });
}

void ApiServer::add_websocket(const std::string& path, WsFactory factory) { websockets_[path] = std::move(factory); }

void ApiServer::dispatch(Request& req, Reply reply) {
  auto m = router_.match(req);
  if (m.handler) return (*m.handler)(req, std::move(reply));
  const bool api_path = req.path.rfind("/api/", 0) == 0;
  if (!api_path && (req.method == "GET" || req.method == "HEAD")) {
    if (auto file = files_.serve(req.path)) return reply(std::move(*file));
  }
  if (m.status == 405) {
    auto r = fail(405, "method_not_allowed", "method not allowed");
    r.headers["Allow"] = m.allow;
    return reply(std::move(r));
  }
  reply(fail(404, "not_found", "no such resource"));
}

std::variant<WsEndpoint, Response> ApiServer::upgrade(Request& req) {
  auto it = websockets_.find(req.path);
  if (it == websockets_.end()) return fail(404, "not_found", "no such WebSocket endpoint");
  Response error;
  auto p = authenticate(ctx_, req, error);
  if (!p) return error;
  // Browsers send cookies with cross-site WebSocket handshakes; refuse a foreign Origin for cookie sessions.
  const auto origin = req.header("Origin");
  if (p->via == access::Principal::Via::session && !origin.empty()) {
    const auto host = req.header("Host");
    const auto scheme_end = origin.find("://");
    if (scheme_end == std::string::npos || origin.substr(scheme_end + 3) != host)
      return fail(403, "forbidden", "cross-origin WebSocket refused");
  }
  return it->second(req, *p);
}

void ApiServer::on_request_done(const Request& req, int status, std::chrono::nanoseconds latency) {
  ctx_.metrics.observe_request(req.method, status, latency);
  // The path only: query strings may carry tokens.
  log_->debug("{} {} {} {} {}us", req.client_ip, req.method, req.path, status,
              std::chrono::duration_cast<std::chrono::microseconds>(latency).count());
}

}  // namespace portier::api
