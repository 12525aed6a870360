// `portier extension add|passwd|remove|list` and `portier sip` (extensions with their stored registrations).
#include <iostream>

#include <CLI/CLI.hpp>

#include "access/extension.hpp"
#include "app/cli.hpp"
#include "app/store_factory.hpp"

namespace portier::app {
namespace {

std::string check_secret(const std::string& s) {
  if (s.size() < 8) return "extension password must be at least 8 characters";
  if (s.size() > 128) return "extension password must be at most 128 characters";
  return {};
}

int run_with_store(const std::string& config_path,
                   const std::function<int(store::sqlite::SqliteStore&)>& body) {
  auto config = load_config_or_report(config_path.empty() ? default_config_path() : config_path);
  if (!config) return kExitUsage;
  try {
    SystemClock clock;
    auto store = open_store(*config, clock);
    return body(*store);
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitFailed;
  }
}

struct ExtArgs {
  std::string number, role = "resident", name;
  bool password_stdin = false;
};

int add(store::sqlite::SqliteStore& store, const ExtArgs& a) {
  if (!access::valid_extension_number(a.number))
    return print_error("extension number: 1-32 characters of A-Z a-z 0-9 . _ -"), kExitUsage;
  if (!a.password_stdin) return print_error("--password-stdin is required"), kExitUsage;
  auto secret = read_line_stdin();
  if (!secret) return print_error("no password on standard input"), kExitUsage;
  if (auto problem = check_secret(*secret); !problem.empty()) return print_error(problem), kExitFailed;
  access::Extension e{a.number, a.name.empty() ? a.number : a.name, *secret,
                      *access::parse_extension_role(a.role), {}};
  auto r = store.extensions().create(e);
  if (!r) return print_error(r.error().what()), kExitFailed;
  std::cout << "added extension " << r->number << " (" << access::to_string(r->role) << ")\n";
  return kExitOk;
}

}  // namespace

void add_extension_commands(CLI::App& app, std::string& config_path, int& exit_code) {
  auto* ext = app.add_subcommand("extension", "Manage SIP extensions")->require_subcommand(1);
  auto args = std::make_shared<ExtArgs>();

  auto* add_cmd = ext->add_subcommand("add", "Add an extension (a SIP account phones register with)");
  add_cmd->add_option("number", args->number, "Extension number")->required();
  add_cmd->add_option("--role", args->role, "resident, door, ata or trunk-peer")
      ->check(CLI::IsMember({"resident", "door", "ata", "trunk-peer"}));
  add_cmd->add_option("--name", args->name, "Display name");
  add_cmd->add_flag("--password-stdin", args->password_stdin, "Read the SIP password from standard input");
  add_cmd->add_option("--config,-c", config_path, "Configuration file");
  add_cmd->callback([&config_path, &exit_code, args] {
    exit_code = run_with_store(config_path, [&](store::sqlite::SqliteStore& s) { return add(s, *args); });
  });

  auto* passwd = ext->add_subcommand("passwd", "Set an extension's SIP password");
  passwd->add_option("number", args->number, "Extension number")->required();
  passwd->add_flag("--password-stdin", args->password_stdin, "Read the SIP password from standard input");
  passwd->add_option("--config,-c", config_path, "Configuration file");
  passwd->callback([&config_path, &exit_code, args] {
    exit_code = run_with_store(config_path, [&](store::sqlite::SqliteStore& s) {
      if (!args->password_stdin) return print_error("--password-stdin is required"), kExitUsage;
      auto secret = read_line_stdin();
      if (!secret) return print_error("no password on standard input"), kExitUsage;
      if (auto problem = check_secret(*secret); !problem.empty()) return print_error(problem), kExitFailed;
      auto st = s.extensions().update_secret(args->number, *secret);
      if (!st) return print_error(st.error().what()), kExitFailed;
      return kExitOk;
    });
  });

  auto* remove = ext->add_subcommand("remove", "Remove an extension and its registrations");
  remove->add_option("number", args->number, "Extension number")->required();
  remove->add_option("--config,-c", config_path, "Configuration file");
  remove->callback([&config_path, &exit_code, args] {
    exit_code = run_with_store(config_path, [&](store::sqlite::SqliteStore& s) {
      auto st = s.extensions().remove(args->number);
      if (!st) return print_error(st.error().what()), kExitFailed;
      return kExitOk;
    });
  });

  auto list = [&config_path, &exit_code](bool with_registrations) {
    exit_code = run_with_store(config_path, [&](store::sqlite::SqliteStore& s) {
      for (const auto& e : s.extensions().list())
        std::cout << e.number << "\t" << access::to_string(e.role) << "\t" << e.display_name << "\n";
      if (!with_registrations) return kExitOk;
      auto regs = s.registrations().load();
      if (!regs) return print_error(regs.error().what()), kExitFailed;
      std::cout << "registrations (as last stored by the server):\n";
      for (const auto& r : *regs)
        std::cout << r.aor << "\t" << r.contact << "\t" << r.transport << ":" << r.source_address << ":"
                  << r.source_port << "\texpires " << format_iso8601(r.expires_at) << "\n";
      return kExitOk;
    });
  };
  auto* list_cmd = ext->add_subcommand("list", "List extensions");
  list_cmd->add_option("--config,-c", config_path, "Configuration file");
  list_cmd->callback([list] { list(false); });

  auto* sip = app.add_subcommand("sip", "List extensions and their registrations");
  sip->add_option("--config,-c", config_path, "Configuration file");
  sip->callback([list] { list(true); });
}

}  // namespace portier::app
