#include "api/api_server.hpp"

#include "api/event_stream.hpp"
#include "api/json_response.hpp"
#include "api/routes.hpp"
#include "api/webrtc_control.hpp"
#include "base/log.hpp"

namespace portier::api {

ApiServer::ApiServer(ApiContext& ctx, StaticFiles files)
    : ctx_(ctx), files_(std::move(files)), log_(portier::log::get("http")) {
  register_system_routes(router_, ctx_);
  register_auth_routes(router_, ctx_);
  register_user_routes(router_, ctx_);
  register_door_routes(router_, ctx_);
  register_event_routes(router_, ctx_);
  register_sip_routes(router_, ctx_);
  register_pass_routes(router_, ctx_);
  register_guest_routes(router_, ctx_);
  register_device_routes(router_, ctx_);
  register_call_routes(router_, ctx_);
  register_webrtc_routes(router_, ctx_);
  // Browser-phone events (ring, answered, ended) reach their user's sockets through the event stream. The stream and
  // the gateway are owned by the app; the stream outlives the gateway.
  if (ctx_.webrtc && ctx_.stream) ctx_.webrtc->set_listener(ctx_.stream);
  add_websocket("/api/events", [this](Request& req, const access::Principal& p) {
    // ?after=ID: replay what the client missed (oldest first) before live events, so a reconnect has no gap.
    std::optional<std::int64_t> after;
    if (auto it = req.query.find("after"); it != req.query.end()) {
      try {
        after = std::stoll(it->second);
      } catch (const std::exception&) {
      }
    }
    WsEndpoint e;
    e.on_open = [this, principal = p, after](const std::shared_ptr<WsConnection>& c) {
      const auto& user = principal.user;
      auto filter = [this, principal](const std::string& door) { return may_see_door(ctx_, principal, door); };
      std::int64_t last = 0;
      if (ctx_.stream) {
        auto id = ctx_.stream->history().last_id();
        last = id ? *id : 0;
      }
      c->send(json{{"type", "hello"}, {"user", user_json(user)}, {"version", ctx_.version}, {"last_id", last}}.dump());
      if (after && ctx_.stream) {
        access::HistoryQuery q;
        q.after_id = *after;
        q.limit = 500;  // below the WebSocket queue limit (1024); older gaps are paged with /api/events/history
        const auto visible = door_filter(ctx_, principal);  // the caller's doors, read once for the replay
        if (auto rows = ctx_.stream->history().query(q))
          for (const auto& ev : *rows)
            if (visible(ev.event.door)) c->send(event_json(ev).dump());
      }
      ctx_.events.add(c, filter, user.name);  // the name: browser-phone events go to this user's sockets only
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
