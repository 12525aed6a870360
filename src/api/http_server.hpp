#pragma once
// The HTTP/1.1 + WebSocket server on Boost.Beast. Beast stays inside http_server.cpp; this header is Beast-free.
// One io_context; each connection owns itself (shared_from_this bound into every async op), has a timeout on every
// operation, a body limit and at most one write in flight.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "api/http_types.hpp"
#include "base/result.hpp"

namespace boost::asio {
class io_context;
}

namespace portier::api {

// A WebSocket connection as handlers see it. Text messages only.
class WsConnection {
 public:
  virtual ~WsConnection() = default;
  // Queues a message; when the client does not keep up (queue full) the connection is closed instead.
  virtual void send(std::string text) = 0;
  virtual void close() = 0;
  virtual const std::string& client_ip() const = 0;
};

struct WsEndpoint {
  std::function<void(const std::shared_ptr<WsConnection>&)> on_open;
  std::function<void(const std::shared_ptr<WsConnection>&, std::string)> on_message;
  std::function<void(const std::shared_ptr<WsConnection>&)> on_close;
};

// What the server hands requests to (implemented by ApiServer).
class RequestDispatcher {
 public:
  virtual ~RequestDispatcher() = default;
  virtual void dispatch(Request& req, Reply reply) = 0;
  // For a WebSocket upgrade: the endpoint to accept it with, or the response that refuses it.
  virtual std::variant<WsEndpoint, Response> upgrade(Request& req) = 0;
  // Called once per answered request (metrics, access log).
  virtual void on_request_done(const Request& req, int status, std::chrono::nanoseconds latency) = 0;
};

class HttpServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0 = any free port
    std::string tls_cert;       // PEM paths; empty = plain HTTP
    std::string tls_key;
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    std::chrono::seconds request_timeout{30};
    std::chrono::seconds idle_timeout{60};
    std::size_t max_connections = 512;
    std::size_t ws_max_queue = 1024;  // messages queued per WebSocket before it is dropped as too slow (> replay)
    std::vector<std::string> trusted_proxies;
  };

  HttpServer(boost::asio::io_context& ioc, Options options, RequestDispatcher& dispatcher);
  ~HttpServer();
  // Binds and starts accepting; returns the bound port. Errors (address in use, bad TLS files) are values.
  Result<std::uint16_t> start();
  void stop();
  std::size_t connections() const;

  struct Impl;  // defined in http_server.cpp (Beast lives there only)

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace portier::api
