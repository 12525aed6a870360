// /health, /metrics and /api/version.
#include "api/json_response.hpp"
#include "api/routes.hpp"

namespace portier::api {

void register_system_routes(Router& router, ApiContext& ctx) {
  router.add_sync("GET", "/health", [&ctx](Request&) { return ok({{"status", "ok"}, {"version", ctx.version}}); });
  router.add_sync("GET", "/metrics", [&ctx](Request&) {
    return Response::text(200, ctx.metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  router.add_sync("GET", "/api/version", [&ctx](Request&) { return ok({{"version", ctx.version}}); });
}

}  // namespace portier::api
