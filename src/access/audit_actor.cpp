#include "access/audit_actor.hpp"

#include "base/error.hpp"

namespace portier::access {

std::string_view to_string(ActorKind kind) {
  switch (kind) {
    case ActorKind::user: return "user";
    case ActorKind::token: return "token";
    case ActorKind::pass: return "pass";
    case ActorKind::dtmf: return "dtmf";
    case ActorKind::system: return "system";
  }
  return "user";
}

std::string_view to_string(AccessMethod method) {
  switch (method) {
    case AccessMethod::web: return "web";
    case AccessMethod::api: return "api";
    case AccessMethod::cli: return "cli";
    case AccessMethod::dtmf: return "dtmf";
    case AccessMethod::pass: return "pass";
    case AccessMethod::mqtt: return "mqtt";
    case AccessMethod::button: return "button";
    case AccessMethod::internal: return "internal";
  }
  return "internal";
}

Result<ActorKind> parse_actor_kind(std::string_view text) {
  for (auto k : {ActorKind::user, ActorKind::token, ActorKind::pass, ActorKind::dtmf, ActorKind::system}) {
    if (to_string(k) == text) return k;
  }
  return Error(errc::invalid_argument, "unknown actor kind '" + std::string(text) + "'");
}

Result<AccessMethod> parse_access_method(std::string_view text) {
  for (auto m : {AccessMethod::web, AccessMethod::api, AccessMethod::cli, AccessMethod::dtmf, AccessMethod::pass,
                 AccessMethod::mqtt, AccessMethod::button, AccessMethod::internal}) {
    if (to_string(m) == text) return m;
  }
  return Error(errc::invalid_argument, "unknown access method '" + std::string(text) + "'");
}

Actor Actor::user(std::string id, std::string name, bool admin) {
  Actor a;
  a.kind = ActorKind::user;
  a.user_id = id;
  a.id = std::move(id);
  a.name = std::move(name);
  a.admin = admin;
  return a;
}

Actor Actor::system(std::string name) {
  Actor a;
  a.kind = ActorKind::system;
  a.name = std::move(name);
  return a;
}

}  // namespace portier::access
