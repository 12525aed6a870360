#pragma once
// Maps (method, path pattern) to a handler. Patterns are literal segments and "{name}" captures:
// "/api/doors/{id}/unlock". A path that matches with another method gets 405 with Allow; no match gets 404.
#include <string>
#include <vector>

#include "api/http_types.hpp"

namespace portier::api {

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  void add_sync(std::string method, std::string pattern, SyncHandler handler);

  struct Match {
    const Handler* handler = nullptr;  // null when no route matched
    int status = 404;                  // 404 or 405 when handler is null
    std::string allow;                 // for 405: "GET, POST"
  };
  // Fills req.params on a match.
  Match match(Request& req) const;
  std::size_t size() const { return routes_.size(); }

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  static bool match_segments(const Route& r, const std::vector<std::string_view>& parts,
                             std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
};

}  // namespace portier::api
