// `portier door list|unlock` and `portier audit verify`.
// A door's relay belongs to the running server, so `door unlock` asks the server over HTTP (app/cli_http.hpp):
// POST /api/doors/{id}/unlock, audited with method cli.
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "access/audit_verifier.hpp"
#include "app/cli.hpp"
#include "app/cli_http.hpp"
#include "app/door_setup.hpp"
#include "app/store_factory.hpp"
#include "base/error.hpp"

namespace portier::app {
namespace {

int door_unlock(const Config& config, const std::string& door, std::string user_name) {
  auto answer = call_server(config, user_name, "POST", "/api/doors/" + door + "/unlock", "{}", "portier door unlock");
  if (!answer) return print_error(answer.error().what()), kExitFailed;
  if (answer->status != 200) return print_error("unlock " + door + ": " + answer_error(*answer)), kExitFailed;
  auto doc = nlohmann::json::parse(answer->body, nullptr, false);
  std::cout << "unlocked " << door
            << (doc.is_object() && doc.contains("relock_at") ? " until " + doc["relock_at"].get<std::string>() : "")
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
