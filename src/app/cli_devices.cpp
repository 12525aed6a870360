// `portier device add|list|remove|rotate`: MQTT door device accounts. `add` and `rotate` print the credentials as
// one JSON object on stdout (shown once; Portier keeps only what it needs). The broker's passwd/acl files are
// rewritten and a broker whose pid file is <data_dir>/mqtt/mosquitto.pid (the embedded one) is told to reload; a
// running server picks the change up within a few seconds.
#include <functional>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "access/password_hasher.hpp"
#include "app/cli.hpp"
#include "app/device_admin.hpp"
#include "app/store_factory.hpp"

namespace portier::app {
namespace {

struct DeviceArgs {
  std::string name;
  std::string protocol = "native";
  bool password_stdin = false;
};

int with_admin(const std::string& config_path, const std::function<int(DeviceAdmin&)>& body) {
  auto config = load_config_or_report(config_path.empty() ? default_config_path() : config_path);
  if (!config) return kExitUsage;
  try {
    SystemClock clock;
    auto store = open_store(*config, clock);
    access::PasswordHasher hasher(config->auth.argon2_opslimit, config->auth.argon2_memlimit_kib * 1024);
    DeviceAdmin admin(store->devices(), hasher, *config);
    return body(admin);
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitFailed;
  }
}

int print_credentials(const Result<api::DeviceCredentials>& r) {
  if (!r) return print_error(r.error().what()), kExitFailed;
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : *r) j[k] = v;
  std::cout << j.dump() << "\n";
  return kExitOk;
}

std::optional<std::string> password_from(const DeviceArgs& a, int& exit_code) {
  if (!a.password_stdin) return std::string();
  auto pw = read_line_stdin();
  if (!pw || pw->empty()) {
    print_error("no password on standard input");
    exit_code = kExitUsage;
    return std::nullopt;
  }
  return pw;
}

}  // namespace

void add_device_commands(CLI::App& app, std::string& config_path, int& exit_code) {
  auto* dev = app.add_subcommand("device", "Manage MQTT door devices (WiFi locks)")->require_subcommand(1);
  auto args = std::make_shared<DeviceArgs>();

  auto* add = dev->add_subcommand("add", "Add a device; prints its credentials as JSON");
  add->add_option("name", args->name, "Device name (a-z 0-9 _ -, at most 32)")->required();
  add->add_option("--protocol", args->protocol, "native (default) or legacy-doorlock (insecure, seed firmware)")
      ->check(CLI::IsMember({"native", "legacy-doorlock"}));
  add->add_flag("--password-stdin", args->password_stdin,
                "Read the password from standard input (native: broker password; legacy: HTTP login password)");
  add->add_option("--config,-c", config_path, "Configuration file");
  add->callback([&config_path, &exit_code, args] {
    exit_code = with_admin(config_path, [&](DeviceAdmin& admin) {
      int code = kExitOk;
      auto pw = password_from(*args, code);
      if (!pw) return code;
      return print_credentials(admin.add(args->name, args->protocol, *pw));
    });
  });

  auto* rotate = dev->add_subcommand("rotate", "New credentials for a device; prints them as JSON");
  rotate->add_option("name", args->name, "Device name")->required();
  rotate->add_flag("--password-stdin", args->password_stdin, "Read the new password from standard input");
  rotate->add_option("--config,-c", config_path, "Configuration file");
  rotate->callback([&config_path, &exit_code, args] {
    exit_code = with_admin(config_path, [&](DeviceAdmin& admin) {
      int code = kExitOk;
      auto pw = password_from(*args, code);
      if (!pw) return code;
      return print_credentials(admin.rotate(args->name, *pw));
    });
  });

  auto* remove = dev->add_subcommand("remove", "Remove a device (its broker account goes with it)");
  remove->add_option("name", args->name, "Device name")->required();
  remove->add_option("--config,-c", config_path, "Configuration file");
  remove->callback([&config_path, &exit_code, args] {
    exit_code = with_admin(config_path, [&](DeviceAdmin& admin) {
      if (auto st = admin.remove(args->name); !st) return print_error(st.error().what()), kExitFailed;
      return kExitOk;
    });
  });

  auto* list = dev->add_subcommand("list", "List devices (name, protocol; legacy ones marked insecure)");
  list->add_option("--config,-c", config_path, "Configuration file");
  list->callback([&config_path, &exit_code] {
    exit_code = with_admin(config_path, [&](DeviceAdmin& admin) {
      auto all = admin.list();
      if (!all) return print_error(all.error().what()), kExitFailed;
      for (const auto& d : *all) {
        std::cout << d.name << "\t" << access::to_string(d.protocol)
                  << (d.protocol == access::DeviceProtocol::legacy_doorlock ? "\tinsecure" : "") << "\n";
      }
      return kExitOk;
    });
  });
}

}  // namespace portier::app
