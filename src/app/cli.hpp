#pragma once
// The command line: `portier serve|check-config|user|token|version`. Errors are one line on stderr and an exit code:
// 0 success, 1 the operation failed, 2 bad usage or configuration.
#include <functional>
#include <optional>
#include <string>

#include "app/config.hpp"

namespace CLI {
class App;
}

namespace portier::app {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

int run_cli(int argc, char** argv);

// Shared by the subcommands: load and validate the config, printing file:line:col errors; nullopt on failure.
std::optional<Config> load_config_or_report(const std::string& path);
// The config path when --config was not given: $PORTIER_CONFIG, else var/portier.yaml when present, else
// /etc/portier/portier.yaml.
std::string default_config_path();
// Loads the config (exit 2 when it is bad) and runs `body`, turning exceptions into "portier: error:" and exit 1.
int with_config(const std::string& path, const std::function<int(const Config&)>& body);
// Prints "portier: error: <message>" to stderr.
void print_error(const std::string& message);
// One line from standard input without its line ending (passwords: never taken from the command line).
std::optional<std::string> read_line_stdin();

// Subcommand groups defined in their own files; each adds itself to `app` and sets `exit_code` when it runs.
void add_user_commands(CLI::App& app, std::string& config_path, int& exit_code);
void add_door_commands(CLI::App& app, std::string& config_path, int& exit_code);
void add_extension_commands(CLI::App& app, std::string& config_path, int& exit_code);
void add_pass_commands(CLI::App& app, std::string& config_path, int& exit_code);
void add_device_commands(CLI::App& app, std::string& config_path, int& exit_code);

}  // namespace portier::app
