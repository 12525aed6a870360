// /api/webrtc/*: the browser phone's signalling (../shared/seeds/WEBRTC-browser-phone-guide.md, "API Reference"),
// plus what a phone needs and the guide lacks (answer, decline, hang up, DTMF, close, config). The routes only
// translate JSON to WebRtcControl calls; the gateway behind it (owned by the app) does the work. Errors use the
// guide's shape {"success":false,"error":"<message>"}, not the {code,message} object of the other routes.
#include <memory>
#include <string_view>

#include <spdlog/spdlog.h>

#include "api/json_response.hpp"
#include "api/routes.hpp"
#include "api/webrtc_control.hpp"
#include "base/log.hpp"

namespace portier::api {
namespace {

constexpr std::size_t kMaxIdLength = 128;      // session ids are UUIDs, call ids and extensions are short
constexpr std::size_t kMaxDtmfDigits = 32;
constexpr std::string_view kDtmfDigits = "0123456789*#ABCD";

Response webrtc_fail(int status, const std::string& message) {
  json body = {{"success", false}, {"error", message}};
  return Response::json(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

// The one mapping from webrtc_errc to HTTP status (see webrtc_control.hpp).
int webrtc_http_status(const std::error_code& code) {
  if (code.category() != webrtc_category()) return http_status_for(code);
  switch (static_cast<webrtc_errc>(code.value())) {
    case webrtc_errc::bad_request:
    case webrtc_errc::no_common_codec: return 400;
    case webrtc_errc::unknown_session:
    case webrtc_errc::unknown_extension: return 404;
    case webrtc_errc::busy:
    case webrtc_errc::no_call:
    case webrtc_errc::not_ready: return 409;
    case webrtc_errc::disabled:
    case webrtc_errc::unavailable: return 503;
  }
  return 500;
}

Response webrtc_fail(const Error& error) { return webrtc_fail(webrtc_http_status(error.code), error.what()); }

// Who logs what: every route logs failures at info; with features.webrtc.verbose_logging it also writes the guide's
// "[VERBOSE]" blocks (a title line, then indented "Key: value" lines).
struct RouteLog {
  std::shared_ptr<spdlog::logger> log = portier::log::get("webrtc");
  bool verbose = false;

  void block(std::string_view title, std::initializer_list<std::pair<std::string_view, std::string>> lines) const {
    if (!verbose) return;
    log->info("[VERBOSE] {}", title);
    for (const auto& [key, value] : lines) log->info("  {}: {}", key, value);
  }
  Response failed(std::string_view what, const access::Principal& p, const Error& e) const {
    log->info("{} by {} failed: {}", what, p.user.name, e.what());
    return webrtc_fail(e);
  }
};

// Reads the JSON object body; false with a 400/415 in `error`.
bool read_body(const Request& req, json& out, Response& error) {
  if (to_lower(req.header("Content-Type")).rfind("application/json", 0) != 0) {
    error = webrtc_fail(415, "Body must be application/json");
    return false;
  }
  out = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded() || !out.is_object()) {
    error = webrtc_fail(400, "Request body must be a JSON object");
    return false;
  }
  return true;
}

// A string member. Required: present, a string and not empty. Optional: absent or null gives "".
bool read_string(const json& body, const char* key, std::string& out, Response& error, bool required = true,
                 std::size_t max = kMaxIdLength) {
  auto it = body.find(key);
  if (!required && (it == body.end() || it->is_null())) return true;
  if (it == body.end() || !it->is_string() || (required && it->get_ref<const std::string&>().empty()) ||
      it->get_ref<const std::string&>().size() > max) {
    error = webrtc_fail(400, std::string("Missing or invalid field: ") + key);
    return false;
  }
  out = it->get<std::string>();
  return true;
}

json ice_servers_json(const WebRtcClientConfig& c) {
  json servers = json::array();
  for (const auto& s : c.ice_servers) {
    json server = {{"urls", s.urls.size() == 1 ? json(s.urls.front()) : json(s.urls)}};
    if (!s.username.empty()) server["username"] = s.username;
    if (!s.credential.empty()) server["credential"] = s.credential;
    servers.push_back(std::move(server));
  }
  return {{"iceServers", servers}, {"iceTransportPolicy", c.ice_transport_policy}};
}

json client_config_json(const WebRtcClientConfig& c) {
  return {{"verbose_logging", c.verbose_logging},     {"dtmf_mode", c.dtmf_mode},
          {"dtmf_duration_ms", c.dtmf_duration_ms},   {"echo_cancellation", c.echo_cancellation},
          {"noise_reduction", c.noise_reduction},     {"auto_gain_control", c.auto_gain_control},
          {"session_timeout_s", c.session_timeout_s}, {"ice_transport_policy", c.ice_transport_policy}};
}

json session_json(const WebRtcSessionView& s) {
  return {{"session_id", s.session_id},
          {"extension", s.extension},
          {"peer_connection_id", s.peer_connection_id},
          {"state", s.state},
          {"created_at", format_iso8601(s.created_at)},
          {"last_activity", format_iso8601(s.last_activity)}};
}

using WebRtcHandler = Response (*)(WebRtcControl&, const RouteLog&, Request&, const access::Principal&);

// Authenticated (cookie + CSRF or bearer) like the other routes; 503 while no gateway is configured.
SyncHandler webrtc_route(ApiContext& ctx, WebRtcHandler handler) {
  return guarded(ctx, Access::user, [&ctx, handler](Request& req, const access::Principal& p) {
    if (!ctx.webrtc) return webrtc_fail(make_error_code(webrtc_errc::disabled));
    RouteLog log;
    log.verbose = ctx.webrtc->client_config().verbose_logging;
    return handler(*ctx.webrtc, log, req, p);
  });
}

Response create_session(WebRtcControl& web, const RouteLog& log, Request& req, const access::Principal& p) {
  json body;
  Response error;
  std::string extension;
  if (!read_body(req, body, error) || !read_string(body, "extension", extension, error, /*required=*/false))
    return error;
  log.block("WebRTC session creation request:", {{"Extension", extension.empty() ? "webrtc:" + p.user.name : extension},
                                                 {"Client IP", req.client_ip},
                                                 {"User", p.user.name}});
  auto s = web.create_session(p.user.name, extension, req.client_ip);
  if (!s) return log.failed("WebRTC session creation", p, s.error());
  log.log->info("session {} created for {} (extension {})", s->session_id, p.user.name, s->extension);
  log.block("Session created details:", {{"Session ID", s->session_id},
                                         {"Extension", s->extension},
                                         {"Total active sessions", std::to_string(web.sessions("", true).size())}});
  const auto config = web.client_config();
  return ok({{"session", session_json(*s)}, {"ice_servers", ice_servers_json(config)},
             {"config", client_config_json(config)}});
}

Response offer(WebRtcControl& web, const RouteLog& log, Request& req, const access::Principal& p) {
  json body;
  Response error;
  std::string session_id, sdp;
  if (!read_body(req, body, error) || !read_string(body, "session_id", session_id, error) ||
      !read_string(body, "sdp", sdp, error, true, req.body.size()))
    return error;
  log.block("SDP offer received:", {{"Session ID", session_id}, {"SDP length", std::to_string(sdp.size()) + " bytes"}});
  auto answer = web.offer(p.user.name, session_id, sdp);
  if (!answer) return log.failed("SDP offer", p, answer.error());
  log.block("SDP answer sent:", {{"Session ID", session_id}, {"SDP length", std::to_string(answer->size()) + " bytes"}});
  return ok({{"sdp", *answer}});
}

// {"candidate": {"candidate","sdpMid","sdpMLineIndex"}}; a null candidate or an empty string ends the candidates.
Response candidate(WebRtcControl& web, const RouteLog& log, Request& req, const access::Principal& p) {
  json body;
  Response error;
  std::string session_id, text, mid;
  if (!read_body(req, body, error) || !read_string(body, "session_id", session_id, error)) return error;
  auto c = body.find("candidate");
  if (c == body.end() || !(c->is_null() || c->is_object())) return webrtc_fail(400, "Missing or invalid field: candidate");
  int index = 0;
  if (c->is_object()) {
    if (!read_string(*c, "candidate", text, error, /*required=*/false, 1024) ||
        !read_string(*c, "sdpMid", mid, error, /*required=*/false))
      return error;
    if (auto i = c->find("sdpMLineIndex"); i != c->end() && !i->is_null()) {
      if (!i->is_number_integer() || i->get<long long>() < 0 || i->get<long long>() > 255)
        return webrtc_fail(400, "Missing or invalid field: sdpMLineIndex");
      index = i->get<int>();
    }
  }
  log.block("ICE candidate received:", {{"Session ID", session_id}, {"Candidate", text.empty() ? "(end of candidates)" : text}});
  auto r = web.add_candidate(p.user.name, session_id, text, mid, index);
  if (!r) return log.failed("ICE candidate", p, r.error());
  return ok();
}

Response call(WebRtcControl& web, const RouteLog& log, Request& req, const access::Principal& p) {
  json body;
  Response error;
  std::string session_id, target;
  if (!read_body(req, body, error) || !read_string(body, "session_id", session_id, error) ||
      !read_string(body, "target_extension", target, error))
    return error;
  log.block("Call initiation request:", {{"Session ID", session_id}, {"Target extension", target}});
  auto id = web.call(p.user.name, session_id, target);
  if (!id) return log.failed("call to " + target, p, id.error());
  log.log->info("call {} from session {} ({}) to {}", *id, session_id, p.user.name, target);
  log.block("Call initiated:", {{"Session ID", session_id}, {"Call ID", *id}});
  return ok({{"call_id", *id}});
}

// answer and decline: {session_id, call_id}.
Response answer_or_decline(WebRtcControl& web, const RouteLog& log, Request& req, const access::Principal& p,
                           bool answer) {
  json body;
  Response error;
  std::string session_id, call_id;
  if (!read_body(req, body, error) || !read_string(body, "session_id", session_id, error) ||
      !read_string(body, "call_id", call_id, error))
    return error;
  log.block(answer ? "Answer request:" : "Decline request:", {{"Session ID", session_id}, {"Call ID", call_id}});
  auto r = answer ? web.answer(p.user.name, session_id, call_id) : web.decline(p.user.name, session_id, call_id);
  if (!r) return log.failed(answer ? "answer" : "decline", p, r.error());
  return ok();
}

Response answer(WebRtcControl& web, const RouteLog& log, Request& req, const access::Principal& p) {
  return answer_or_decline(web, log, req, p, true);
}

Response decline(WebRtcControl& web, const RouteLog& log, Request& req, const access::Principal& p) {
  return answer_or_decline(web, log, req, p, false);
}

Response hangup(WebRtcControl& web, const RouteLog& log, Request& req, const access::Principal& p) {
  json body;
  Response error;
  std::string session_id;
  if (!read_body(req, body, error) || !read_string(body, "session_id", session_id, error)) return error;
  log.block("Hangup request:", {{"Session ID", session_id}});
  auto r = web.hangup(p.user.name, session_id);
  if (!r) return log.failed("hangup", p, r.error());
  return ok();
}

Response dtmf(WebRtcControl& web, const RouteLog& log, Request& req, const access::Principal& p) {
  json body;
  Response error;
  std::string session_id, digits;
  if (!read_body(req, body, error) || !read_string(body, "session_id", session_id, error) ||
      !read_string(body, "digits", digits, error, true, kMaxDtmfDigits))
    return error;
  if (digits.find_first_not_of(kDtmfDigits) != std::string::npos)
    return webrtc_fail(400, "Invalid field: digits (0-9, *, #, A-D)");
  log.block("DTMF request:", {{"Session ID", session_id}, {"Digits", digits}});
  auto r = web.dtmf(p.user.name, session_id, digits);
  if (!r) return log.failed("DTMF", p, r.error());
  return ok();
}

Response close_session(WebRtcControl& web, const RouteLog& log, Request& req, const access::Principal& p) {
  const std::string session_id = req.params["id"];
  log.block("Session close request:", {{"Session ID", session_id}});
  auto r = web.close_session(p.user.name, session_id);
  if (!r) return log.failed("session close", p, r.error());
  log.log->info("session {} closed by {}", session_id, p.user.name);
  return ok();
}

Response list_sessions(WebRtcControl& web, const RouteLog&, Request&, const access::Principal& p) {
  json out = json::array();
  for (const auto& s : web.sessions(p.user.name, p.user.role == access::Role::admin))
    out.push_back({{"session_id", s.session_id},
                   {"extension", s.extension},
                   {"state", s.state},
                   {"created_at", format_iso8601(s.created_at)}});
  return ok({{"sessions", out}});
}

Response client_config(WebRtcControl& web, const RouteLog&, Request&, const access::Principal&) {
  const auto config = web.client_config();
  return ok({{"config", client_config_json(config)}, {"ice_servers", ice_servers_json(config)}});
}

}  // namespace

void register_webrtc_routes(Router& router, ApiContext& ctx) {
  router.add_sync("POST", "/api/webrtc/session", webrtc_route(ctx, create_session));
  router.add_sync("DELETE", "/api/webrtc/session/{id}", webrtc_route(ctx, close_session));
  router.add_sync("GET", "/api/webrtc/sessions", webrtc_route(ctx, list_sessions));
  router.add_sync("GET", "/api/webrtc/config", webrtc_route(ctx, client_config));
  router.add_sync("POST", "/api/webrtc/offer", webrtc_route(ctx, offer));
  router.add_sync("POST", "/api/webrtc/candidate", webrtc_route(ctx, candidate));
  router.add_sync("POST", "/api/webrtc/call", webrtc_route(ctx, call));
  router.add_sync("POST", "/api/webrtc/answer", webrtc_route(ctx, answer));
  router.add_sync("POST", "/api/webrtc/decline", webrtc_route(ctx, decline));
  router.add_sync("POST", "/api/webrtc/hangup", webrtc_route(ctx, hangup));
  router.add_sync("POST", "/api/webrtc/dtmf", webrtc_route(ctx, dtmf));
}

}  // namespace portier::api
