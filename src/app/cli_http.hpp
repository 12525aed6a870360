#pragma once
// CLI commands that act through the running server (door unlock, guest passes): the server owns the doors, so the
// CLI mints a short-lived API token for the acting user in the store, calls the local HTTP API with it (marked
// `X-Portier-Client: cli`, so the audit says cli) and revokes the token again.
#include <string>

#include "app/config.hpp"
#include "base/result.hpp"

namespace portier::app {

struct HttpAnswer {
  int status = 0;
  std::string body;
};

// `user_name` "" = the first admin. Errors: no such user / no admin, server unreachable, TLS-only server.
Result<HttpAnswer> call_server(const Config& config, const std::string& user_name, const std::string& method,
                               const std::string& target, const std::string& json_body, const std::string& purpose);
// The error message of a {"success":false,...} answer, or the body.
std::string answer_error(const HttpAnswer& answer);

}  // namespace portier::app
