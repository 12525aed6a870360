#include "app/cli.hpp"

#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/door_setup.hpp"
#include "app/server.hpp"
#include "base/log.hpp"

namespace portier::app {

void print_error(const std::string& message) { std::cerr << "portier: error: " << message << "\n"; }

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

std::optional<std::string> read_line_stdin() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

std::string default_config_path() {
  if (const char* env = std::getenv("PORTIER_CONFIG"); env && *env) return env;
  std::error_code ec;
  if (std::filesystem::exists("var/portier.yaml", ec)) return "var/portier.yaml";
  return "/etc/portier/portier.yaml";
}

std::optional<Config> load_config_or_report(const std::string& path) {
  auto loaded = load_config(path);
  for (const auto& e : loaded.errors) std::cerr << e.format() << "\n";
  if (!loaded.config) return std::nullopt;
  // Doors are checked as a whole (ids, line clashes, demo overrides) so that a bad door fails at load.
  auto plan = plan_doors(*loaded.config);
  for (const auto& e : plan.errors) std::cerr << e.format() << "\n";
  if (!plan.errors.empty()) return std::nullopt;
  return loaded.config;
}

namespace {

int cmd_check_config(const std::string& path) {
  auto config = load_config_or_report(path);
  if (!config) return kExitUsage;
  std::cout << path << ": ok\n";
  return kExitOk;
}

int cmd_serve(const std::string& path, bool no_hardware) {
  auto config = load_config_or_report(path);
  if (!config) return kExitUsage;
  try {
    auto log_options = config->logging.to_options();
    if (config->features.webrtc.verbose_logging && !log_options.subsystems.count("webrtc"))
      log_options.subsystems["webrtc"] = "debug";
    log::configure(log_options);
    Server server(std::move(*config), {no_hardware});
    return server.run();
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitFailed;
  }
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"Portier: a self-hosted door intercom and access-control server"};
  app.require_subcommand(1);
  std::string config_path;
  int exit_code = kExitOk;

  auto* serve = app.add_subcommand("serve", "Run the server");
  serve->add_option("--config,-c", config_path, "Configuration file");
  bool no_hardware = false;
  serve->add_flag("--no-hardware", no_hardware, "Use simulated lines for gpio chips that are missing");
  serve->callback([&] {
    exit_code = cmd_serve(config_path.empty() ? default_config_path() : config_path, no_hardware);
  });

  auto* check = app.add_subcommand("check-config", "Validate a configuration file without starting");
  std::string check_path;
  check->add_option("file", check_path, "Configuration file")->required();
  check->callback([&] { exit_code = cmd_check_config(check_path); });

  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([&] { std::cout << "portier " << PORTIER_VERSION << "\n"; });

  add_user_commands(app, config_path, exit_code);
  add_door_commands(app, config_path, exit_code);
  add_extension_commands(app, config_path, exit_code);
  add_pass_commands(app, config_path, exit_code);
  add_device_commands(app, config_path, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_error(e.what());
    return kExitUsage;
  }
  return exit_code;
}

}  // namespace portier::app
