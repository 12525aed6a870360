#include "app/cli_http.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "app/store_factory.hpp"
#include "base/error.hpp"
#include "base/random.hpp"

namespace portier::app {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

Result<HttpAnswer> request_local(const HttpConfig& cfg, const std::string& method, const std::string& target,
                                 const std::string& token, const std::string& body) {
  if (cfg.tls.enabled())
    return Error(portier::errc::invalid_argument, "this command needs the server's plain HTTP listener for now");
  try {
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    const std::string host =
        cfg.listen.host == "0.0.0.0" ? "127.0.0.1" : cfg.listen.host == "::" ? "::1" : cfg.listen.host;
    stream.expires_after(std::chrono::seconds(15));
    stream.connect(resolver.resolve(host, std::to_string(cfg.listen.port)));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, host + ":" + std::to_string(cfg.listen.port));
    req.set(http::field::authorization, "Bearer " + token);
    req.set(http::field::content_type, "application/json");
    req.set("X-Portier-Client", "cli");
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    return HttpAnswer{static_cast<int>(res.result_int()), res.body()};
  } catch (const std::exception& e) {
    return Error(portier::errc::unavailable, "cannot reach the running server on " + cfg.listen.host + ":" +
                                                 std::to_string(cfg.listen.port) + " (" + e.what() + ")");
  }
}

}  // namespace

Result<HttpAnswer> call_server(const Config& config, const std::string& user_name, const std::string& method,
                               const std::string& target, const std::string& json_body, const std::string& purpose) {
  SystemClock clock;
  auto store = open_store(config, clock);
  std::optional<access::User> user;
  if (user_name.empty()) {
    for (const auto& u : store->users().list())
      if (u.role == access::Role::admin && !user) user = u;
    if (!user) return Error(portier::errc::not_found, "no admin user exists; pass --user");
  } else {
    user = store->users().find_by_name(user_name);
    if (!user) return Error(portier::errc::not_found, "no such user: " + user_name);
  }
  const std::string token = "ptk_" + random_token(32);
  auto rec = store->tokens().create(user->id, purpose + " (temporary)", sha256_hex(token));
  if (!rec) return rec.error();
  auto answer = request_local(config.http, method, target, token, json_body);
  (void)store->tokens().revoke(user->id, rec->id);
  return answer;
}

std::string answer_error(const HttpAnswer& answer) {
  auto doc = nlohmann::json::parse(answer.body, nullptr, false);
  std::string msg = answer.body;
  if (doc.is_object() && doc.contains("error") && doc["error"].is_object())
    msg = doc["error"].value("message", answer.body);
  return msg + " (HTTP " + std::to_string(answer.status) + ")";
}

}  // namespace portier::app
