#include "api/json_response.hpp"

#include "base/error.hpp"

namespace portier::api {

Response ok(json fields, int status) {
  json body = {{"success", true}};
  if (fields.is_object()) body.update(fields);
  return Response::json(status, body.dump());
}

Response fail(int status, std::string_view code, std::string_view message) {
  json body = {{"success", false}, {"error", {{"code", code}, {"message", message}}}};
  return Response::json(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

int http_status_for(const std::error_code& code) {
  if (code.category() != portier::error_category()) return 500;
  switch (static_cast<errc>(code.value())) {
    case errc::ok: return 200;
    case errc::invalid_argument: return 400;
    case errc::unauthenticated: return 401;
    case errc::permission_denied: return 403;
    case errc::not_found: return 404;
    case errc::already_exists:
    case errc::conflict: return 409;
    case errc::too_large: return 413;
    case errc::rate_limited: return 429;
    case errc::unavailable: return 503;
    case errc::timeout: return 504;
    case errc::io_error:
    case errc::internal: return 500;
  }
  return 500;
}

std::string error_code_name(const std::error_code& code) {
  if (code.category() != portier::error_category()) return "internal";
  switch (static_cast<errc>(code.value())) {
    case errc::ok: return "ok";
    case errc::invalid_argument: return "invalid_argument";
    case errc::unauthenticated: return "unauthenticated";
    case errc::permission_denied: return "forbidden";
    case errc::not_found: return "not_found";
    case errc::already_exists: return "already_exists";
    case errc::conflict: return "conflict";
    case errc::too_large: return "payload_too_large";
    case errc::rate_limited: return "rate_limited";
    case errc::unavailable: return "unavailable";
    case errc::timeout: return "timeout";
    case errc::io_error:
    case errc::internal: return "internal";
  }
  return "internal";
}

Response fail(const Error& error) {
  return fail(http_status_for(error.code), error_code_name(error.code), error.what());
}

bool parse_json_body(const Request& req, json& out, Response& error) {
  const auto type = to_lower(req.header("Content-Type"));
  if (type.rfind("application/json", 0) != 0) {
    error = fail(415, "unsupported_media_type", "body must be application/json");
    return false;
  }
  out = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) {
    error = fail(400, "bad_json", "request body is not valid JSON");
    return false;
  }
  if (!out.is_object()) {
    error = fail(400, "bad_json", "request body must be a JSON object");
    return false;
  }
  return true;
}

bool require_string(const json& body, const char* key, std::string& out, Response& error) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) {
    error = fail(400, "invalid_argument", std::string(key) + ": required string");
    return false;
  }
  out = it->get<std::string>();
  return true;
}

}  // namespace portier::api
