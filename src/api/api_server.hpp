#pragma once
// The request dispatcher behind HttpServer: routes, the events WebSocket, static files, metrics, access log.
// Later modules add their routes through router() before the server starts.
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "api/api_context.hpp"
#include "api/http_server.hpp"
#include "api/router.hpp"
#include "api/static_files.hpp"

namespace spdlog {
class logger;
}

namespace portier::api {

class ApiServer final : public RequestDispatcher {
 public:
  using WsFactory = std::function<WsEndpoint(Request&, const access::Principal&)>;

  ApiServer(ApiContext& ctx, StaticFiles files);
  Router& router() { return router_; }
  // An authenticated WebSocket endpoint at `path`.
  void add_websocket(const std::string& path, WsFactory factory);

  void dispatch(Request& req, Reply reply) override;
  std::variant<WsEndpoint, Response> upgrade(Request& req) override;
  void on_request_done(const Request& req, int status, std::chrono::nanoseconds latency) override;

 private:
  ApiContext& ctx_;
  StaticFiles files_;
  Router router_;
  std::map<std::string, WsFactory> websockets_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace portier::api
