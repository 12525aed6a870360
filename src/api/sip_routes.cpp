// GET /api/sip/registrations and GET /api/sip/extensions.
#include "api/json_response.hpp"
#include "api/routes.hpp"
#include "api/sip_status.hpp"

namespace portier::api {

void register_sip_routes(Router& router, ApiContext& ctx) {
  if (!ctx.sip) return;
  router.add_sync("GET", "/api/sip/registrations", guarded(ctx, Access::user, [&ctx](Request&, const access::Principal&) {
                    const auto now = std::chrono::system_clock::now();
                    json out = json::array();
                    for (const auto& r : ctx.sip->registrations()) {
                      const auto left = std::chrono::duration_cast<std::chrono::seconds>(r.expires_at - now).count();
                      out.push_back({{"extension", r.extension},
                                     {"contact", r.contact},
                                     {"expires", left > 0 ? left : 0},
                                     {"expires_at", format_iso8601(r.expires_at)},
                                     {"transport", r.transport},
                                     {"source", r.source},
                                     {"user_agent", r.user_agent},
                                     {"behind_nat", r.behind_nat}});
                    }
                    return ok({{"registrations", out}});
                  }));
  router.add_sync("GET", "/api/sip/extensions", guarded(ctx, Access::user, [&ctx](Request&, const access::Principal&) {
                    json out = json::array();
                    for (const auto& e : ctx.sip->extensions())
                      out.push_back({{"number", e.number},
                                     {"display_name", e.display_name},
                                     {"role", e.role},
                                     {"registrations", e.registrations}});
                    return ok({{"extensions", out}, {"listening", ctx.sip->listening()}});
                  }));
}

}  // namespace portier::api
