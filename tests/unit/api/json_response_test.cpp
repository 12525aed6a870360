#include "api/json_response.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

using namespace portier::api;
using portier::errc;

TEST(JsonResponse, SuccessShape) {
  auto r = ok({{"doors", json::array()}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["Content-Type"], "application/json");
  auto j = json::parse(r.body);
  EXPECT_EQ(j["success"], true);
  EXPECT_TRUE(j["doors"].is_array());
}

TEST(JsonResponse, ErrorShape) {
  auto r = fail(404, "not_found", "no such door");
  EXPECT_EQ(r.status, 404);
  auto j = json::parse(r.body);
  EXPECT_EQ(j, (json{{"success", false}, {"error", {{"code", "not_found"}, {"message", "no such door"}}}}));
}

TEST(JsonResponse, ErrcMapsToStatusAndCode) {
  struct Case {
    errc e;
    int status;
    const char* code;
  };
  for (auto c : {Case{errc::invalid_argument, 400, "invalid_argument"}, Case{errc::unauthenticated, 401, "unauthenticated"},
                 Case{errc::permission_denied, 403, "forbidden"}, Case{errc::not_found, 404, "not_found"},
                 Case{errc::conflict, 409, "conflict"}, Case{errc::too_large, 413, "payload_too_large"},
                 Case{errc::rate_limited, 429, "rate_limited"}, Case{errc::unavailable, 503, "unavailable"},
                 Case{errc::internal, 500, "internal"}}) {
    auto r = fail(portier::Error(c.e, "m"));
    EXPECT_EQ(r.status, c.status) << c.code;
    EXPECT_EQ(json::parse(r.body)["error"]["code"], c.code);
  }
  // A foreign error category is an internal error, never a leak of its text as a status.
  EXPECT_EQ(http_status_for(std::make_error_code(std::errc::io_error)), 500);
}

TEST(JsonResponse, InvalidUtf8InMessagesIsReplacedNotThrown) {
  auto r = fail(400, "bad", std::string("bad \xff byte"));
  EXPECT_TRUE(json::accept(r.body));
}

TEST(JsonBody, ContentTypeAndShapeChecks) {
  Request req;
  json body;
  Response error;
  req.body = "{\"a\":1}";
  EXPECT_FALSE(parse_json_body(req, body, error));
  EXPECT_EQ(error.status, 415);
  req.headers["Content-Type"] = "application/json; charset=utf-8";
  EXPECT_TRUE(parse_json_body(req, body, error));
  req.body = "{\"a\":";
  EXPECT_FALSE(parse_json_body(req, body, error));
  EXPECT_EQ(error.status, 400);
  req.body = "\"just a string\"";
  EXPECT_FALSE(parse_json_body(req, body, error));
  std::string s;
  EXPECT_FALSE(require_string(json{{"username", 5}}, "username", s, error));
  EXPECT_EQ(json::parse(error.body)["error"]["message"], "username: required string");
}
