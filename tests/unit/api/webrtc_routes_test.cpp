// /api/webrtc/* against a fake WebRtcControl: the guide's JSON shapes, field validation, error statuses, ownership,
// authentication/CSRF, verbose logging, features.webrtc, and the per-user phone events on the event WebSocket.
#include <unistd.h>

#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "access/auth_service.hpp"
#include "access/password_hasher.hpp"
#include "api/api_server.hpp"
#include "api/event_stream.hpp"
#include "api/json_response.hpp"
#include "api/routes.hpp"
#include "base/log.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "webrtc_control_fake.hpp"

namespace portier::api {
namespace {

using test::WebRtcControlFake;

std::filesystem::path temp_db() {
  static int n = 0;
  auto dir = std::filesystem::temp_directory_path() / ("portier-webrtc-routes-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / ("t" + std::to_string(++n) + ".db");
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path.string() + suffix);
  return path;
}

// A WebSocket that records what it was sent.
class RecordingSocket final : public WsConnection {
 public:
  void send(std::string text) override { sent.push_back(std::move(text)); }
  void close() override {}
  const std::string& client_ip() const override { return ip_; }
  std::vector<std::string> sent;

 private:
  std::string ip_ = "127.0.0.1";
};

struct Harness {
  FakeClock clock;
  std::unique_ptr<store::sqlite::SqliteStore> store =
      std::move(store::sqlite::SqliteStore::open(temp_db(), clock).value());
  access::PasswordHasher hasher{1, 8 * 1024 * 1024};
  access::AuthService auth{store->users(), store->tokens(), hasher, clock, {}};
  Metrics metrics;
  EventHub hub;
  EventStream stream{store->history(), hub};
  WebRtcControlFake web;
  ApiContext ctx{auth, metrics, hub};
  Router router;
  std::map<std::string, std::string> tokens;  // user name -> bearer token

  explicit Harness(bool enabled = true) {
    web.config.ice_servers = {{{"stun:stun.example.org:3478"}, "", ""},
                              {{"turn:turn.example.org:3478"}, "turn-user", "turn-pass"}};
    ctx.webrtc = enabled ? &web : nullptr;
    ctx.stream = &stream;
    for (auto [name, role] : {std::pair{"alice", access::Role::resident}, std::pair{"bob", access::Role::resident},
                              std::pair{"root", access::Role::admin}}) {
      auto user = auth.add_user(name, role, "password-" + std::string(name));
      tokens[name] = auth.create_token(user->id, "test").value().second;
    }
    register_auth_routes(router, ctx);
    register_webrtc_routes(router, ctx);
  }

  Response send(const std::string& method, const std::string& path, const std::string& user,
                const std::optional<json>& body = json::object(), const std::string& content_type = "application/json") {
    Request req;
    req.method = method;
    req.path = req.target = path;
    req.client_ip = "10.0.0.7";
    if (!user.empty()) req.headers["Authorization"] = "Bearer " + tokens[user];
    if (body && method != "GET" && method != "DELETE") {
      req.body = body->dump();
      req.headers["Content-Type"] = content_type;
    }
    return dispatch(req);
  }

  Response dispatch(Request& req) {
    auto m = router.match(req);
    if (!m.handler) return Response::json(m.status, "{}");
    Response out;
    (*m.handler)(req, [&](Response r) { out = std::move(r); });
    return out;
  }

  std::string session(const std::string& user) {
    auto r = send("POST", "/api/webrtc/session", user, json{{"extension", "1001"}});
    return json::parse(r.body)["session"]["session_id"];
  }
};

json body_of(const Response& r) { return json::parse(r.body); }

void expect_error(const Response& r, int status, const std::string& message) {
  EXPECT_EQ(r.status, status) << r.body;
  auto j = body_of(r);
  EXPECT_EQ(j, json({{"success", false}, {"error", message}})) << r.body;
}

TEST(WebRtcRoutes, DisabledAnswers503AfterAuthentication) {
  Harness h(/*enabled=*/false);
  for (auto [method, path] : {std::pair{"POST", "/api/webrtc/session"}, std::pair{"GET", "/api/webrtc/sessions"},
                              std::pair{"GET", "/api/webrtc/config"}, std::pair{"POST", "/api/webrtc/call"},
                              std::pair{"DELETE", "/api/webrtc/session/x"}}) {
    expect_error(h.send(method, path, "alice"), 503, "WebRTC is disabled");
    EXPECT_EQ(h.send(method, path, "").status, 401) << path;
  }
}

TEST(WebRtcRoutes, FeaturesWebrtcInAuthState) {
  Harness on, off(false);
  EXPECT_EQ(body_of(on.send("GET", "/api/auth/state", ""))["features"]["webrtc"], true);
  EXPECT_EQ(body_of(off.send("GET", "/api/auth/state", ""))["features"]["webrtc"], false);
}

TEST(WebRtcRoutes, CreateSessionHasTheGuidesShapeAndTheClientConfig) {
  Harness h;
  h.web.config.dtmf_mode = "SIP_INFO";
  h.web.config.dtmf_duration_ms = 200;
  h.web.config.echo_cancellation = false;
  h.web.config.ice_transport_policy = "relay";
  auto r = h.send("POST", "/api/webrtc/session", "alice", json{{"extension", "1001"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body_of(r);
  EXPECT_EQ(j["success"], true);
  const auto when = format_iso8601(h.web.now);
  EXPECT_EQ(j["session"], json({{"session_id", "s1"},
                                {"extension", "1001"},
                                {"peer_connection_id", "pc-s1"},
                                {"state", "new"},
                                {"created_at", when},
                                {"last_activity", when}}));
  EXPECT_EQ(j["ice_servers"],
            json::parse(R"({"iceServers":[{"urls":"stun:stun.example.org:3478"},
              {"urls":"turn:turn.example.org:3478","username":"turn-user","credential":"turn-pass"}],
              "iceTransportPolicy":"relay"})"));
  EXPECT_EQ(j["config"]["dtmf_mode"], "SIP_INFO");
  EXPECT_EQ(j["config"]["dtmf_duration_ms"], 200);
  EXPECT_EQ(j["config"]["echo_cancellation"], false);
  EXPECT_EQ(j["config"]["noise_reduction"], true);
  EXPECT_EQ(j["config"]["auto_gain_control"], true);
  EXPECT_EQ(j["config"]["verbose_logging"], false);
  EXPECT_EQ(h.web.sessions_by_id.at("s1").user, "alice");
  EXPECT_EQ(h.web.log.back(), "create s1 10.0.0.7");
}

TEST(WebRtcRoutes, CreateSessionExtensionIsOptionalButMustBeAString) {
  Harness h;
  auto r = h.send("POST", "/api/webrtc/session", "bob");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r)["session"]["extension"], "webrtc:bob");
  expect_error(h.send("POST", "/api/webrtc/session", "bob", json{{"extension", 1001}}), 400,
               "Missing or invalid field: extension");
  expect_error(h.send("POST", "/api/webrtc/session", "bob", json::array()), 400, "Request body must be a JSON object");
  EXPECT_EQ(h.send("POST", "/api/webrtc/session", "bob", json::object(), "text/plain").status, 415);
  h.web.fail_next = Error(webrtc_errc::unavailable);
  expect_error(h.send("POST", "/api/webrtc/session", "bob"), 503, "WebRTC service unavailable");
}

TEST(WebRtcRoutes, OfferReturnsTheAnswerSdp) {
  Harness h;
  auto id = h.session("alice");
  auto r = h.send("POST", "/api/webrtc/offer", "alice", json{{"session_id", id}, {"sdp", "v=0\r\n"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r), json({{"success", true}, {"sdp", "answer-for:v=0\r\n"}}));
  expect_error(h.send("POST", "/api/webrtc/offer", "alice", json{{"session_id", id}}), 400,
               "Missing or invalid field: sdp");
  expect_error(h.send("POST", "/api/webrtc/offer", "alice", json{{"sdp", "v=0"}}), 400,
               "Missing or invalid field: session_id");
  expect_error(h.send("POST", "/api/webrtc/offer", "alice", json{{"session_id", 5}, {"sdp", "v=0"}}), 400,
               "Missing or invalid field: session_id");
  h.web.fail_next = Error(webrtc_errc::bad_request, "malformed SDP: no m= line");
  expect_error(h.send("POST", "/api/webrtc/offer", "alice", json{{"session_id", id}, {"sdp", "x"}}), 400,
               "malformed SDP: no m= line");
  h.web.fail_next = Error(webrtc_errc::no_common_codec);
  expect_error(h.send("POST", "/api/webrtc/offer", "alice", json{{"session_id", id}, {"sdp", "x"}}), 400,
               "No common codec");
}

TEST(WebRtcRoutes, AnotherUsersSessionIsNotFoundEvenForAdmins) {
  Harness h;
  auto id = h.session("alice");
  for (const char* who : {"bob", "root"}) {
    expect_error(h.send("POST", "/api/webrtc/offer", who, json{{"session_id", id}, {"sdp", "v=0"}}), 404,
                 "Session not found");
    expect_error(h.send("POST", "/api/webrtc/call", who, json{{"session_id", id}, {"target_extension", "1"}}), 404,
                 "Session not found");
    expect_error(h.send("POST", "/api/webrtc/hangup", who, json{{"session_id", id}}), 404, "Session not found");
    expect_error(h.send("DELETE", "/api/webrtc/session/" + id, who), 404, "Session not found");
  }
  EXPECT_EQ(h.web.sessions_by_id.count(id), 1u);
}

TEST(WebRtcRoutes, CandidatesTrickleAndNullEndsThem) {
  Harness h;
  auto id = h.session("alice");
  json c = {{"candidate", "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host"}, {"sdpMid", "0"},
            {"sdpMLineIndex", 0}};
  auto r = h.send("POST", "/api/webrtc/candidate", "alice", json{{"session_id", id}, {"candidate", c}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r), json({{"success", true}}));
  ASSERT_EQ(h.send("POST", "/api/webrtc/candidate", "alice", json{{"session_id", id}, {"candidate", nullptr}}).status,
            200);
  ASSERT_EQ(h.web.candidates.size(), 2u);
  EXPECT_EQ(h.web.candidates[0].candidate, c["candidate"]);
  EXPECT_EQ(h.web.candidates[0].sdp_mid, "0");
  EXPECT_EQ(h.web.candidates[0].sdp_mline_index, 0);
  EXPECT_EQ(h.web.candidates[1].candidate, "");
  expect_error(h.send("POST", "/api/webrtc/candidate", "alice", json{{"session_id", id}}), 400,
               "Missing or invalid field: candidate");
  expect_error(h.send("POST", "/api/webrtc/candidate", "alice", json{{"session_id", id}, {"candidate", "text"}}), 400,
               "Missing or invalid field: candidate");
  c["sdpMLineIndex"] = "0";
  expect_error(h.send("POST", "/api/webrtc/candidate", "alice", json{{"session_id", id}, {"candidate", c}}), 400,
               "Missing or invalid field: sdpMLineIndex");
  c["sdpMLineIndex"] = 0;
  c["sdpMid"] = 7;
  expect_error(h.send("POST", "/api/webrtc/candidate", "alice", json{{"session_id", id}, {"candidate", c}}), 400,
               "Missing or invalid field: sdpMid");
  EXPECT_EQ(h.web.candidates.size(), 2u);
}

TEST(WebRtcRoutes, CallReturnsTheCallIdAndMapsErrors) {
  Harness h;
  auto id = h.session("alice");
  auto r = h.send("POST", "/api/webrtc/call", "alice", json{{"session_id", id}, {"target_extension", "1001"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r), json({{"success", true}, {"call_id", "call-1001"}}));
  expect_error(h.send("POST", "/api/webrtc/call", "alice", json{{"session_id", id}}), 400,
               "Missing or invalid field: target_extension");
  expect_error(h.send("POST", "/api/webrtc/call", "alice", json{{"session_id", id}, {"target_extension", ""}}), 400,
               "Missing or invalid field: target_extension");
  const std::vector<std::pair<webrtc_errc, int>> cases = {
      {webrtc_errc::unknown_extension, 404}, {webrtc_errc::busy, 409},        {webrtc_errc::not_ready, 409},
      {webrtc_errc::no_call, 409},           {webrtc_errc::unavailable, 503}, {webrtc_errc::disabled, 503}};
  for (auto [e, status] : cases) {
    h.web.fail_next = Error(e);
    auto f = h.send("POST", "/api/webrtc/call", "alice", json{{"session_id", id}, {"target_extension", "1002"}});
    expect_error(f, status, make_error_code(e).message());
  }
}

TEST(WebRtcRoutes, AnswerDeclineHangupDtmfAndClose) {
  Harness h;
  auto id = h.session("alice");
  const json call = {{"session_id", id}, {"call_id", "c9"}};
  EXPECT_EQ(h.send("POST", "/api/webrtc/answer", "alice", call).status, 200);
  EXPECT_EQ(h.send("POST", "/api/webrtc/decline", "alice", call).status, 200);
  EXPECT_EQ(h.send("POST", "/api/webrtc/dtmf", "alice", json{{"session_id", id}, {"digits", "12*#A"}}).status, 200);
  EXPECT_EQ(h.send("POST", "/api/webrtc/hangup", "alice", json{{"session_id", id}}).status, 200);
  EXPECT_EQ(h.send("DELETE", "/api/webrtc/session/" + id, "alice").status, 200);
  const std::vector<std::string> want = {"answer s1 c9", "decline s1 c9", "dtmf s1 12*#A", "hangup s1", "close s1"};
  EXPECT_EQ(std::vector<std::string>(h.web.log.end() - 5, h.web.log.end()), want);
  EXPECT_TRUE(h.web.sessions_by_id.empty());

  auto other = h.session("alice");
  expect_error(h.send("POST", "/api/webrtc/answer", "alice", json{{"session_id", other}}), 400,
               "Missing or invalid field: call_id");
  expect_error(h.send("POST", "/api/webrtc/dtmf", "alice", json{{"session_id", other}, {"digits", "12x"}}), 400,
               "Invalid field: digits (0-9, *, #, A-D)");
  expect_error(h.send("POST", "/api/webrtc/dtmf", "alice", json{{"session_id", other}, {"digits", ""}}), 400,
               "Missing or invalid field: digits");
  expect_error(h.send("POST", "/api/webrtc/dtmf", "alice",
                      json{{"session_id", other}, {"digits", std::string(33, '1')}}),
               400, "Missing or invalid field: digits");
  h.web.fail_next = Error(webrtc_errc::no_call);
  expect_error(h.send("POST", "/api/webrtc/hangup", "alice", json{{"session_id", other}}), 409, "No call in progress");
  h.web.fail_next = Error(webrtc_errc::no_call);
  expect_error(h.send("POST", "/api/webrtc/answer", "alice", json{{"session_id", other}, {"call_id", "x"}}), 409,
               "No call in progress");
  expect_error(h.send("DELETE", "/api/webrtc/session/nope", "alice"), 404, "Session not found");
  EXPECT_EQ(h.web.log.back(), "create s2 10.0.0.7");  // nothing invalid reached the gateway
}

TEST(WebRtcRoutes, SessionsListsOwnSessionsAndAdminsSeeAll) {
  Harness h;
  auto a = h.session("alice");
  auto b = h.session("bob");
  auto mine = body_of(h.send("GET", "/api/webrtc/sessions", "alice"));
  ASSERT_EQ(mine["sessions"].size(), 1u);
  EXPECT_EQ(mine["sessions"][0], json({{"session_id", a},
                                       {"extension", "1001"},
                                       {"state", "new"},
                                       {"created_at", format_iso8601(h.web.now)}}));
  auto all = body_of(h.send("GET", "/api/webrtc/sessions", "root"));
  EXPECT_EQ(all["success"], true);
  ASSERT_EQ(all["sessions"].size(), 2u);
  EXPECT_EQ(all["sessions"][1]["session_id"], b);
}

TEST(WebRtcRoutes, ConfigRoute) {
  Harness h;
  h.web.config.verbose_logging = true;
  auto j = body_of(h.send("GET", "/api/webrtc/config", "bob"));
  EXPECT_EQ(j["success"], true);
  EXPECT_EQ(j["config"]["verbose_logging"], true);
  EXPECT_EQ(j["config"]["dtmf_mode"], "RFC2833");
  EXPECT_EQ(j["config"]["dtmf_duration_ms"], 160);
  EXPECT_EQ(j["config"]["session_timeout_s"], 3600);
  EXPECT_EQ(j["ice_servers"]["iceServers"].size(), 2u);
  EXPECT_EQ(j["ice_servers"]["iceTransportPolicy"], "all");
}

TEST(WebRtcRoutes, CookieSessionsNeedTheCsrfToken) {
  Harness h;
  auto login = h.auth.login("alice", "password-alice", "10.0.0.7").value();
  Request req;
  req.method = "POST";
  req.path = req.target = "/api/webrtc/session";
  req.headers["Cookie"] = std::string(kSessionCookie) + "=" + login.ticket.token;
  req.headers["Content-Type"] = "application/json";
  req.body = "{}";
  EXPECT_EQ(h.dispatch(req).status, 403);
  req.headers["X-CSRF-Token"] = login.ticket.csrf;
  EXPECT_EQ(h.dispatch(req).status, 200);
}

TEST(WebRtcRoutes, VerboseLoggingWritesTheGuidesLines) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto logger = portier::log::get("webrtc");
  logger->sinks().push_back(sink);
  Harness h;
  h.session("alice");
  EXPECT_EQ(out.str().find("[VERBOSE]"), std::string::npos) << out.str();
  h.web.config.verbose_logging = true;
  h.session("alice");
  logger->sinks().pop_back();
  const auto text = out.str();
  for (const char* line : {"[VERBOSE] WebRTC session creation request:", "  Extension: 1001", "  Client IP: 10.0.0.7",
                           "[VERBOSE] Session created details:", "  Session ID: s2", "  Total active sessions: 2"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
}

TEST(WebRtcEvents, EventHubSendsToOneUsersSocketsOnly) {
  EventHub hub;
  auto a1 = std::make_shared<RecordingSocket>(), a2 = std::make_shared<RecordingSocket>();
  auto b = std::make_shared<RecordingSocket>(), anon = std::make_shared<RecordingSocket>();
  hub.add(a1, {}, "alice");
  hub.add(a2, {}, "alice");
  hub.add(b, {}, "bob");
  hub.add(anon);
  EXPECT_EQ(hub.send_to_user("alice", "x"), 2u);
  EXPECT_EQ(hub.send_to_user("", "y"), 0u);  // nobody's: not to the user-less client
  EXPECT_EQ(a1->sent, std::vector<std::string>{"x"});
  EXPECT_EQ(a2->sent, std::vector<std::string>{"x"});
  EXPECT_TRUE(b->sent.empty());
  EXPECT_TRUE(anon->sent.empty());
  hub.broadcast("", "all");
  EXPECT_EQ(b->sent, std::vector<std::string>{"all"});
  hub.remove(a1);
  a2.reset();  // closed: dropped on the next send
  EXPECT_EQ(hub.send_to_user("alice", "z"), 0u);
  EXPECT_EQ(hub.size(), 2u);
  EXPECT_NE(hub.dump().find("bob"), std::string::npos);
}

TEST(WebRtcEvents, PhoneEventsGoToTheirUserAndNotIntoTheHistory) {
  Harness h;
  ApiServer server(h.ctx, StaticFiles());
  EXPECT_EQ(h.web.listener, &h.stream);  // the server wires the gateway's events to the stream
  auto alice = std::make_shared<RecordingSocket>(), bob = std::make_shared<RecordingSocket>();
  h.hub.add(alice, {}, "alice");
  h.hub.add(bob, {}, "bob");
  WebRtcPhoneEvent e{"alice", "s1", "c1", "incoming", "", "front door", "front", "/api/doors/front/snapshot"};
  h.web.listener->on_webrtc_event(e);
  ASSERT_EQ(alice->sent.size(), 1u);
  EXPECT_EQ(json::parse(alice->sent[0]), json({{"type", "webrtc"},
                                               {"session_id", "s1"},
                                               {"call_id", "c1"},
                                               {"state", "incoming"},
                                               {"reason", ""},
                                               {"peer", "front door"},
                                               {"door", "front"},
                                               {"snapshot_url", "/api/doors/front/snapshot"}}));
  EXPECT_TRUE(bob->sent.empty());
  auto last = h.store->history().last_id();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 0);
}

}  // namespace
}  // namespace portier::api
