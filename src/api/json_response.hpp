#pragma once
// The JSON shapes of the seed API: {"success":true,...} and {"success":false,"error":{"code","message"}}, and the one
// mapping from error codes to HTTP statuses.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/http_types.hpp"
#include "base/result.hpp"

namespace portier::api {

using json = nlohmann::json;

// {"success":true} merged with `fields` (an object).
Response ok(json fields = json::object(), int status = 200);
// {"success":false,"error":{"code":code,"message":message}}
Response fail(int status, std::string_view code, std::string_view message);
// Status and code derived from the error's errc.
Response fail(const Error& error);
int http_status_for(const std::error_code& code);
std::string error_code_name(const std::error_code& code);

// Parses a JSON object body; on failure `error` holds a 400 (or 415 when the content type is not JSON).
bool parse_json_body(const Request& req, json& out, Response& error);
// Reads a string member; false with a 400 in `error` when missing or not a string.
bool require_string(const json& body, const char* key, std::string& out, Response& error);

}  // namespace portier::api
