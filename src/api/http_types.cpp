#include "api/http_types.hpp"

namespace portier::api {

std::optional<std::string> Request::cookie(std::string_view name) const {
  auto it = headers.find("Cookie");
  if (it == headers.end()) return std::nullopt;
  for (auto part : split(it->second, ';')) {
    part = trim(part);
    auto eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(part.substr(0, eq)) == name) return std::string(trim(part.substr(eq + 1)));
  }
  return std::nullopt;
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.headers["Content-Type"] = "application/json";
  r.body = std::move(body);
  return r;
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.headers["Content-Type"] = std::move(content_type);
  r.body = std::move(body);
  return r;
}

bool parse_query(std::string_view query, std::map<std::string, std::string>& out) {
  if (query.empty()) return true;
  for (auto pair : split(query, '&')) {
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key, value;
    if (!url_decode(pair.substr(0, eq), key, true)) return false;
    if (eq != std::string_view::npos && !url_decode(pair.substr(eq + 1), value, true)) return false;
    out[key] = value;
  }
  return true;
}

}  // namespace portier::api
