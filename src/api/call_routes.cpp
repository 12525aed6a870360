// GET /api/calls, DELETE /api/calls/{id} (admin hang-up), GET /api/recordings/{name} (visitor messages).
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/call_control.hpp"
#include "api/json_response.hpp"
#include "api/routes.hpp"

namespace portier::api {
namespace {

json call_json(const CallView& c) {
  json legs = json::array();
  for (const auto& l : c.legs)
    legs.push_back({{"id", l.id}, {"role", l.role}, {"extension", l.extension}, {"state", l.state}});
  return {{"id", c.id},
          {"door", c.door},
          {"state", c.state},
          {"ring_group", c.ring_group},
          {"answered_by", c.answered_by},
          {"started", format_iso8601(c.started)},
          {"legs", legs}};
}

// Names the intercom writes: "<door>-<UTC timestamp>-<call id>.wav"; nothing else is served (no paths).
bool valid_recording_name(const std::string& name) {
  if (name.size() < 5 || name.size() > 128 || name.substr(name.size() - 4) != ".wav" || name[0] == '.') return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return name.find("..") == std::string::npos;
}

// The door a recording belongs to (its name up to the timestamp), for the door filter.
std::string recording_door(const std::string& name) {
  const auto dash = name.rfind('-', name.rfind('-') - 1);
  return dash == std::string::npos ? "" : name.substr(0, dash);
}

}  // namespace

void register_call_routes(Router& router, ApiContext& ctx) {
  if (ctx.calls) {
    router.add_sync("GET", "/api/calls", guarded(ctx, Access::user, [&ctx](Request&, const access::Principal& p) {
                      auto visible = door_filter(ctx, p);
                      json out = json::array();
                      for (const auto& c : ctx.calls->calls())
                        if (visible(c.door)) out.push_back(call_json(c));
                      return ok({{"calls", out}});
                    }));
    router.add_sync("DELETE", "/api/calls/{id}",
                    guarded(ctx, Access::admin, [&ctx](Request& req, const access::Principal&) {
                      std::uint64_t id = 0;
                      try {
                        std::size_t used = 0;
                        id = std::stoull(req.params["id"], &used);
                        if (used != req.params["id"].size()) throw std::invalid_argument("id");
                      } catch (const std::exception&) {
                        return fail(400, "invalid_argument", "call ids are numbers");
                      }
                      if (!ctx.calls->hangup(id)) return fail(404, "not_found", "no such call");
                      return ok();
                    }));
  }
  if (!ctx.recordings_dir.empty()) {
    router.add_sync("GET", "/api/recordings/{name}",
                    guarded(ctx, Access::user, [&ctx](Request& req, const access::Principal& p) {
                      const std::string name = req.params["name"];
                      if (!valid_recording_name(name)) return fail(404, "not_found", "no such recording");
                      if (!may_see_door(ctx, p, recording_door(name)))
                        return fail(404, "not_found", "no such recording");
                      std::ifstream in(std::filesystem::path(ctx.recordings_dir) / name, std::ios::binary);
                      if (!in) return fail(404, "not_found", "no such recording");
                      std::ostringstream data;
                      data << in.rdbuf();
                      return Response::text(200, data.str(), "audio/wav");
                    }));
  }
}

}  // namespace portier::api
