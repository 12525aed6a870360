#pragma once
// Beast-free request/response types, so that routes and tests do not pull Beast into every translation unit.
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/strings.hpp"

namespace portier::api {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const { return to_lower(a) < to_lower(b); }
};
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  std::string method;       // "GET", "POST", ...
  std::string target;       // raw target: "/api/doors/1?x=y"
  std::string path;         // decoded path: "/api/doors/1"
  std::map<std::string, std::string> query;
  Headers headers;
  std::string body;
  std::string client_ip;    // socket peer, or X-Forwarded-For from a trusted proxy
  bool secure = false;      // arrived over TLS
  std::map<std::string, std::string> params;  // filled by the router from "{name}" segments

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::optional<std::string> cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  static Response json(int status, std::string body);
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
};

// Handlers answer through `Reply`, now or later (an unlock answers once the relay moved). A reply must be sent
// exactly once; it is safe to call from the event loop only.
using Reply = std::function<void(Response)>;
using Handler = std::function<void(Request&, Reply)>;
using SyncHandler = std::function<Response(Request&)>;

// Parses "a=1&b=two%20words" into a map; false on bad percent-encoding.
bool parse_query(std::string_view query, std::map<std::string, std::string>& out);

}  // namespace portier::api
