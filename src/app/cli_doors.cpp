// `portier door list|unlock` and `portier audit verify`.
// A door's relay belongs to the running server, so `door unlock` asks the server over HTTP: it mints a short-lived
// API token for the acting user, calls POST /api/doors/{id}/unlock (audited with method cli), and revokes the token.
#include <iostream>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "access/audit_verifier.hpp"
#include "app/cli.hpp"
#include "app/door_setup.hpp"
#include "app/store_factory.hpp"
#include "base/error.hpp"
#include "base/random.hpp"

namespace portier::app {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

struct HttpAnswer {
  int status = 0;
  std::string body;
};

Result<HttpAnswer> post_local(const HttpConfig& cfg, const std::string& target, const std::string& token) {
  if (cfg.tls.enabled()) return Error(portier::errc::invalid_argument, "door unlock from the CLI needs plain HTTP for now");
  try {
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    const std::string host = cfg.listen.host == "0.0.0.0" ? "127.0.0.1" : cfg.listen.host == "::" ? "::1" : cfg.listen.host;
    stream.expires_after(std::chrono::seconds(15));
    stream.connect(resolver.resolve(host, std::to_string(cfg.listen.port)));
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, host);
    req.set(http::field::authorization, "Bearer " + token);
    req.set(http::field::content_type, "application/json");
    req.set("X-Portier-Client", "cli");
    req.body() = "{}";
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

int door_unlock(const Config& config, const std::string& door, std::string user_name) {
  SystemClock clock;
  auto store = open_store(config, clock);
  std::optional<access::User> user;
  if (user_name.empty()) {
    for (const auto& u : store->users().list())
      if (u.role == access::Role::admin && !user) user = u;
    if (!user) return print_error("no admin user exists; pass --user"), kExitFailed;
  } else {
    user = store->users().find_by_name(user_name);
    if (!user) return print_error("no such user: " + user_name), kExitFailed;
  }
  const std::string token = "ptk_" + random_token(32);
  auto rec = store->tokens().create(user->id, "portier door unlock (temporary)", sha256_hex(token));
  if (!rec) return print_error(rec.error().what()), kExitFailed;
  auto answer = post_local(config.http, "/api/doors/" + door + "/unlock", token);
  (void)store->tokens().revoke(user->id, rec->id);
  if (!answer) return print_error(answer.error().what()), kExitFailed;
  auto doc = nlohmann::json::parse(answer->body, nullptr, false);
  if (answer->status != 200) {
    std::string msg = doc.is_object() && doc.contains("error") ? doc["error"].value("message", "") : answer->body;
    return print_error("unlock " + door + ": " + msg + " (HTTP " + std::to_string(answer->status) + ")"), kExitFailed;
  }
  std::cout << "unlocked " << door << (doc.contains("relock_at") ? " until " + doc["relock_at"].get<std::string>() : "")
            << "\n";
  return kExitOk;
}

int audit_verify(const Config& config) {
  SystemClock clock;
  auto store = open_store(config, clock);
  auto report = access::verify_audit_log(store->audit());
  if (!report) return print_error(report.error().what()), kExitFailed;
  if (!report->ok) {
    std::cout << "audit chain BROKEN at row " << report->first_bad_seq << ": " << report->reason << " ("
              << report->rows << " rows checked)\n";
    return kExitFailed;
  }
  std::cout << "audit chain ok: " << report->rows << " rows\n";
  return kExitOk;
}

int with_config(const std::string& path, const std::function<int(const Config&)>& body) {
  auto config = load_config_or_report(path.empty() ? default_config_path() : path);
  if (!config) return kExitUsage;
  try {
    return body(*config);
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitFailed;
  }
}

}  // namespace

void add_door_commands(CLI::App& app, std::string& config_path, int& exit_code) {
  auto* door = app.add_subcommand("door", "Doors")->require_subcommand(1);
  auto args = std::make_shared<std::pair<std::string, std::string>>();  // door id, user

  auto* unlock = door->add_subcommand("unlock", "Unlock a door through the running server (audited as cli)");
  unlock->add_option("id", args->first, "Door id")->required();
  unlock->add_option("--user", args->second, "Act as this user (default: the first admin)");
  unlock->add_option("--config,-c", config_path, "Configuration file");
  unlock->callback([&config_path, &exit_code, args] {
    exit_code = with_config(config_path, [&](const Config& c) { return door_unlock(c, args->first, args->second); });
  });

  auto* list = door->add_subcommand("list", "List the configured doors");
  list->add_option("--config,-c", config_path, "Configuration file");
  list->callback([&config_path, &exit_code] {
    exit_code = with_config(config_path, [](const Config& c) {
      for (const auto& d : plan_doors(c).doors)
        std::cout << d.id << "\t" << d.name << "\t" << access::to_string(d.mode) << "\t" << d.relay << "\n";
      return kExitOk;
    });
  });

  auto* audit = app.add_subcommand("audit", "The audit log")->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Check the audit log's hash chain (exit 1 with the first bad row)");
  verify->add_option("--config,-c", config_path, "Configuration file");
  verify->callback([&config_path, &exit_code] { exit_code = with_config(config_path, audit_verify); });
}

}  // namespace portier::app
