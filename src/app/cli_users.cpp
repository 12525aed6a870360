// `portier user add|passwd|list|remove` and `portier token create|revoke|list`: they open the store directly, so
// they work whether or not the server is running (SQLite WAL allows both).
#include <iostream>

#include <CLI/CLI.hpp>

#include "access/auth_service.hpp"
#include "access/password_hasher.hpp"
#include "app/cli.hpp"
#include "app/store_factory.hpp"
#include "base/clock.hpp"

namespace portier::app {
namespace {

// The store and an AuthService on it, for one CLI command.
struct Context {
  explicit Context(const Config& c)
      : store(open_store(c, clock)),
        hasher(c.auth.argon2_opslimit, c.auth.argon2_memlimit_kib * 1024),
        auth(store->users(), store->tokens(), hasher, clock, {}) {}
  SystemClock clock;
  std::unique_ptr<store::sqlite::SqliteStore> store;
  access::PasswordHasher hasher;
  access::AuthService auth;
};

// Runs `body` with a Context built from the config; maps exceptions and errors to exit codes.
int with_context(const std::string& config_path, const std::function<int(Context&)>& body) {
  auto config = load_config_or_report(config_path.empty() ? default_config_path() : config_path);
  if (!config) return kExitUsage;
  try {
    Context ctx(*config);
    return body(ctx);
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitFailed;
  }
}

int report(const Status& st) {
  if (st) return kExitOk;
  print_error(st.error().what());
  return kExitFailed;
}

}  // namespace

void add_user_commands(CLI::App& app, std::string& config_path, int& exit_code) {
  auto* user = app.add_subcommand("user", "Manage users")->require_subcommand(1);
  struct UserArgs {
    std::string name, role = "resident";
    bool password_stdin = false;
  };
  auto args = std::make_shared<UserArgs>();

  auto* add = user->add_subcommand("add", "Add a user");
  add->add_option("name", args->name, "User name")->required();
  add->add_option("--role", args->role, "admin or resident")->check(CLI::IsMember({"admin", "resident"}));
  add->add_flag("--password-stdin", args->password_stdin, "Read the password from standard input");
  add->add_option("--config,-c", config_path, "Configuration file");
  add->callback([&config_path, &exit_code, args] {
    exit_code = with_context(config_path, [&](Context& ctx) {
      if (!args->password_stdin) {
        print_error("--password-stdin is required (passwords are never taken from the command line)");
        return kExitUsage;
      }
      auto pw = read_line_stdin();
      if (!pw) return print_error("no password on standard input"), kExitUsage;
      auto u = ctx.auth.add_user(args->name, *access::parse_role(args->role), *pw);
      if (!u) return report(u.error());
      std::cout << "added " << access::role_name(u->role) << " " << u->name << "\n";
      return kExitOk;
    });
  });

  auto* passwd = user->add_subcommand("passwd", "Set a user's password");
  passwd->add_option("name", args->name, "User name")->required();
  passwd->add_flag("--password-stdin", args->password_stdin, "Read the password from standard input");
  passwd->add_option("--config,-c", config_path, "Configuration file");
  passwd->callback([&config_path, &exit_code, args] {
    exit_code = with_context(config_path, [&](Context& ctx) {
      if (!args->password_stdin) return print_error("--password-stdin is required"), kExitUsage;
      auto pw = read_line_stdin();
      if (!pw) return print_error("no password on standard input"), kExitUsage;
      return report(ctx.auth.set_password(args->name, *pw));
    });
  });

  auto* list = user->add_subcommand("list", "List users");
  list->add_option("--config,-c", config_path, "Configuration file");
  list->callback([&config_path, &exit_code] {
    exit_code = with_context(config_path, [&](Context& ctx) {
      for (const auto& u : ctx.auth.list_users())
        std::cout << u.name << "\t" << access::role_name(u.role) << "\t" << format_iso8601(u.created_at) << "\n";
      return kExitOk;
    });
  });

  auto* remove = user->add_subcommand("remove", "Remove a user");
  remove->add_option("name", args->name, "User name")->required();
  remove->add_option("--config,-c", config_path, "Configuration file");
  remove->callback([&config_path, &exit_code, args] {
    exit_code = with_context(config_path, [&](Context& ctx) { return report(ctx.auth.remove_user(args->name)); });
  });

  auto* token = app.add_subcommand("token", "Manage API tokens")->require_subcommand(1);
  struct TokenArgs {
    std::string user, label;
    std::int64_t id = 0;
  };
  auto targs = std::make_shared<TokenArgs>();
  auto* create = token->add_subcommand("create", "Create an API token; prints it alone on stdout");
  create->add_option("--user", targs->user, "Owner")->required();
  create->add_option("--label", targs->label, "What the token is for");
  create->add_option("--config,-c", config_path, "Configuration file");
  create->callback([&config_path, &exit_code, targs] {
    exit_code = with_context(config_path, [&](Context& ctx) {
      auto u = ctx.store->users().find_by_name(targs->user);
      if (!u) return print_error("no such user: " + targs->user), kExitFailed;
      auto t = ctx.auth.create_token(u->id, targs->label);
      if (!t) return report(t.error());
      std::cout << t->second << "\n";
      return kExitOk;
    });
  });

  auto* revoke = token->add_subcommand("revoke", "Revoke an API token by id");
  revoke->add_option("id", targs->id, "Token id (see token list)")->required();
  revoke->add_option("--user", targs->user, "Owner")->required();
  revoke->add_option("--config,-c", config_path, "Configuration file");
  revoke->callback([&config_path, &exit_code, targs] {
    exit_code = with_context(config_path, [&](Context& ctx) {
      auto u = ctx.store->users().find_by_name(targs->user);
      if (!u) return print_error("no such user: " + targs->user), kExitFailed;
      return report(ctx.auth.revoke_token(u->id, targs->id));
    });
  });

  auto* tlist = token->add_subcommand("list", "List a user's API tokens");
  tlist->add_option("--user", targs->user, "Owner")->required();
  tlist->add_option("--config,-c", config_path, "Configuration file");
  tlist->callback([&config_path, &exit_code, targs] {
    exit_code = with_context(config_path, [&](Context& ctx) {
      auto u = ctx.store->users().find_by_name(targs->user);
      if (!u) return print_error("no such user: " + targs->user), kExitFailed;
      for (const auto& t : ctx.auth.list_tokens(u->id))
        std::cout << t.id << "\t" << t.label << "\t" << format_iso8601(t.created_at) << "\n";
      return kExitOk;
    });
  });
}

}  // namespace portier::app
