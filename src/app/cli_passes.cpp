// `portier pass create|list|revoke`: guest passes through the running server (app/cli_http.hpp), so the doors,
// permissions, audit and events are exactly those of the web UI. `create --qr FILE.png` also writes the link's QR.
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "api/qr_image.hpp"
#include "app/cli.hpp"
#include "app/cli_http.hpp"

namespace portier::app {
namespace {

using nlohmann::json;

struct PassArgs {
  std::string user, label, from, until, note, qr, id;
  std::vector<std::string> doors;
  int uses = 0;
  bool pin_stdin = false, as_json = false, permanent = false;
};

int create(const Config& config, const PassArgs& a) {
  json body = {{"label", a.label}};
  if (!a.doors.empty()) body["doors"] = a.doors;
  if (!a.from.empty()) body["valid_from"] = a.from;
  if (!a.until.empty()) body["valid_until"] = a.until;
  if (a.uses > 0) body["max_uses"] = a.uses;
  if (!a.note.empty()) body["note"] = a.note;
  if (a.pin_stdin) {
    auto pin = read_line_stdin();
    if (!pin) return print_error("no PIN on standard input"), kExitUsage;
    body["pin"] = *pin;
  }
  auto answer = call_server(config, a.user, "POST", "/api/passes", body.dump(), "portier pass create");
  if (!answer) return print_error(answer.error().what()), kExitFailed;
  if (answer->status != 201) return print_error("pass create: " + answer_error(*answer)), kExitFailed;
  auto doc = json::parse(answer->body, nullptr, false);
  const auto url = doc.value("url", std::string());
  if (!a.qr.empty()) {
    auto png = api::qr_png(url);
    if (!png) return print_error(png.error().what()), kExitFailed;
    std::ofstream out(a.qr, std::ios::binary);
    out << *png;
    if (!out) return print_error("cannot write " + a.qr), kExitFailed;
  }
  if (a.as_json) {
    doc.erase("success");
    std::cout << doc.dump() << "\n";
  } else {
    std::cout << url << "\n";
  }
  return kExitOk;
}

int list(const Config& config, const PassArgs& a) {
  auto answer = call_server(config, a.user, "GET", "/api/passes", "", "portier pass list");
  if (!answer) return print_error(answer.error().what()), kExitFailed;
  if (answer->status != 200) return print_error("pass list: " + answer_error(*answer)), kExitFailed;
  auto doc = json::parse(answer->body, nullptr, false);
  if (a.as_json) {
    std::cout << doc["passes"].dump() << "\n";
    return kExitOk;
  }
  for (const auto& p : doc["passes"]) {
    std::string doors;
    for (const auto& d : p["doors"]) doors += (doors.empty() ? "" : ",") + d.get<std::string>();
    const auto uses = std::to_string(p["uses"].get<int>()) + "/" +
                      (p["max_uses"].is_null() ? std::string("-") : std::to_string(p["max_uses"].get<int>()));
    std::cout << p["id"].get<long long>() << "\t" << p["status"].get<std::string>() << "\t"
              << p["label"].get<std::string>() << "\t" << doors << "\t" << p["valid_from"].get<std::string>()
              << " -> " << p["valid_until"].get<std::string>() << "\tuses " << uses << "\n";
  }
  return kExitOk;
}

int revoke(const Config& config, const PassArgs& a) {
  const auto target = "/api/passes/" + a.id + (a.permanent ? "?permanent=true" : "");
  auto answer = call_server(config, a.user, "DELETE", target, "", "portier pass revoke");
  if (!answer) return print_error(answer.error().what()), kExitFailed;
  if (answer->status != 200) return print_error("pass revoke: " + answer_error(*answer)), kExitFailed;
  std::cout << (a.permanent ? "deleted pass " : "revoked pass ") << a.id << "\n";
  return kExitOk;
}

}  // namespace

void add_pass_commands(CLI::App& app, std::string& config_path, int& exit_code) {
  auto* pass = app.add_subcommand("pass", "Guest passes (through the running server)")->require_subcommand(1);
  auto a = std::make_shared<PassArgs>();
  auto common = [&config_path, a](CLI::App* cmd) {
    cmd->add_option("--config,-c", config_path, "Configuration file");
    cmd->add_option("--user", a->user, "Act as this user (default: the first admin)");
    cmd->add_flag("--json", a->as_json, "Print JSON");
  };

  auto* c = pass->add_subcommand("create", "Create a guest pass and print its link");
  c->add_option("--label", a->label, "The guest's name")->required();
  c->add_option("--door", a->doors, "A door the pass opens (repeat for more; default: your only door)");
  c->add_option("--from", a->from, "Start, ISO 8601 (site time without an offset; default now)");
  c->add_option("--until", a->until, "End, ISO 8601 (default: start + guest_passes.default_validity)");
  c->add_option("--uses", a->uses, "Maximum number of openings (default unlimited)")->check(CLI::Range(1, 100000));
  c->add_option("--note", a->note, "A note for hosts");
  c->add_flag("--pin-stdin", a->pin_stdin, "Read a 4-8 digit PIN from standard input");
  c->add_option("--qr", a->qr, "Also write the link's QR code to this PNG file");
  common(c);
  c->callback([&config_path, &exit_code, a] {
    exit_code = with_config(config_path, [&](const Config& cfg) { return create(cfg, *a); });
  });

  auto* l = pass->add_subcommand("list", "List guest passes with their status and uses");
  common(l);
  l->callback([&config_path, &exit_code, a] {
    exit_code = with_config(config_path, [&](const Config& cfg) { return list(cfg, *a); });
  });

  auto* r = pass->add_subcommand("revoke", "Revoke a guest pass (its link stops working at once)");
  r->add_option("id", a->id, "Pass id (see pass list)")->required()->check(CLI::PositiveNumber);
  r->add_flag("--delete", a->permanent, "Delete the pass instead (its audit rows stay)");
  common(r);
  r->callback([&config_path, &exit_code, a] {
    exit_code = with_config(config_path, [&](const Config& cfg) { return revoke(cfg, *a); });
  });
}

}  // namespace portier::app
