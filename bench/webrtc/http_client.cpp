#include "bench/webrtc/http_client.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace portier::bench {

namespace beast = boost::beast;
namespace http = beast::http;

HttpClient::HttpClient(std::string host, std::string port, std::vector<std::pair<std::string, std::string>> headers)
    : host_(std::move(host)), port_(std::move(port)), headers_(std::move(headers)) {}

bool HttpClient::connect() {
  boost::system::error_code ec;
  boost::asio::ip::tcp::resolver resolver(io_);
  auto results = resolver.resolve(host_, port_, ec);
  if (ec) return false;
  stream_.expires_after(std::chrono::seconds(10));
  stream_.connect(results, ec);
  open_ = !ec;
  return open_;
}

HttpResponse HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                                 const Headers& extra, std::chrono::seconds timeout) {
  // One retry on a fresh connection: the server may have closed an idle keep-alive connection.
  auto r = once(method, target, body, extra, timeout);
  if (r.status == 0) {
    ++reconnects_;
    r = once(method, target, body, extra, timeout);
  }
  return r;
}

HttpResponse HttpClient::once(const std::string& method, const std::string& target, const std::string& body,
                              const Headers& extra, std::chrono::seconds timeout) {
  if (!open_ && !connect()) return {0, "connect failed"};
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, host_);
  req.set(http::field::user_agent, "portier-webrtc-load");
  for (const auto& [k, v] : headers_) req.set(k, v);
  for (const auto& [k, v] : extra) req.set(k, v);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.prepare_payload();
  boost::system::error_code ec;
  stream_.expires_after(timeout);
  http::write(stream_, req, ec);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  if (!ec) http::read(stream_, buffer, res, ec);
  if (ec) {
    stream_.socket().close(ec);
    open_ = false;
    return {0, ec.message()};
  }
  if (!res.keep_alive()) {
    stream_.socket().close(ec);
    open_ = false;
  }
  return {static_cast<int>(res.result_int()), std::move(res.body())};
}

std::string HttpClient::dump() const {
  return "HttpClient{" + host_ + ":" + port_ + " open=" + (open_ ? "yes" : "no") +
         " reconnects=" + std::to_string(reconnects_) + "}";
}

}  // namespace portier::bench
