#pragma once
// A small synchronous HTTP/1.1 client (Boost.Beast) for the load client's signalling: one keep-alive connection,
// reopened when the server closed it. JSON bodies in and out. Blocking: it runs on the load client's main thread,
// never on the io_context thread that carries media.
//
// Ownership: owns its own io_context and socket.
#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace portier::bench {

struct HttpResponse {
  int status = 0;  // 0 = transport error (see body)
  std::string body;
};

class HttpClient {
 public:
  HttpClient(std::string host, std::string port, std::vector<std::pair<std::string, std::string>> headers = {});
  using Headers = std::vector<std::pair<std::string, std::string>>;
  // method "GET"/"POST"/"DELETE"; body sent as application/json when not empty; `extra` added to this request.
  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                       const Headers& extra = {}, std::chrono::seconds timeout = std::chrono::seconds(30));
  std::string dump() const;

 private:
  bool connect();
  HttpResponse once(const std::string& method, const std::string& target, const std::string& body,
                    const Headers& extra, std::chrono::seconds timeout);

  std::string host_;
  std::string port_;
  std::vector<std::pair<std::string, std::string>> headers_;  // added to every request (Authorization)
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_{io_};
  bool open_ = false;
  unsigned reconnects_ = 0;
};

}  // namespace portier::bench
