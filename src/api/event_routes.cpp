// GET /api/events/history, GET /api/audit, and the simulated hardware (GET/POST /api/sim/lines).
#include "api/event_stream.hpp"
#include "api/json_response.hpp"
#include "api/routes.hpp"
#include "api/sim_control.hpp"
#include <algorithm>

#include "base/error.hpp"

namespace portier::api {
namespace {

// Reads an optional integer query parameter; false (with a 400 in `error`) when present but not a number in range.
bool query_int(const Request& req, const char* key, long long min, long long max, std::optional<long long>& out,
               Response& error) {
  auto it = req.query.find(key);
  if (it == req.query.end() || it->second.empty()) return true;
  try {
    std::size_t used = 0;
    long long v = std::stoll(it->second, &used);
    if (used != it->second.size() || v < min || v > max) throw std::out_of_range(key);
    out = v;
    return true;
  } catch (const std::exception&) {
    error = fail(400, "invalid_argument",
                 std::string(key) + ": expected a number from " + std::to_string(min) + " to " + std::to_string(max));
    return false;
  }
}

Response history(ApiContext& ctx, Request& req, const access::Principal& p) {
  access::HistoryQuery q;
  Response error;
  std::optional<long long> limit, before, after;
  if (!query_int(req, "limit", 1, 1000, limit, error) || !query_int(req, "before", 1, INT64_MAX, before, error) ||
      !query_int(req, "after", 0, INT64_MAX, after, error))
    return error;
  q.limit = limit ? static_cast<std::size_t>(*limit) : 50;
  q.before_id = before;
  q.after_id = after;
  if (auto it = req.query.find("door"); it != req.query.end() && !it->second.empty()) q.door = it->second;
  if (auto it = req.query.find("type"); it != req.query.end() && !it->second.empty()) {
    for (auto t : split(it->second, ',')) {
      auto type = access::parse_event_type(t);
      if (!type) return fail(400, "invalid_argument", "type: unknown event type " + std::string(t));
      q.types.push_back(*type);
    }
  }
  // Residents see only their doors' events: filter, and read on (a bounded number of pages) so that a page is
  // still full when other doors' events are interleaved.
  const auto visible = door_filter(ctx, p);
  json out = json::array();
  for (int page = 0; page < 20 && out.size() < q.limit; ++page) {
    auto rows = ctx.stream->history().query(q);
    if (!rows) return fail(rows.error());
    for (const auto& e : *rows)
      if (out.size() < q.limit && visible(e.event.door)) out.push_back(event_json(e));
    if (rows->size() < q.limit) break;
    if (q.after_id) q.after_id = rows->back().id; else q.before_id = rows->back().id;
  }
  return ok({{"events", out}});
}

// Oldest first from `after`, or with order=newest the newest rows (before `before` when given), newest first.
Result<std::vector<access::AuditRecord>> read_audit(ApiContext& ctx, const Request& req, Response& error, bool& ok) {
  std::optional<long long> after, before, limit;
  ok = query_int(req, "after", 0, INT64_MAX, after, error) && query_int(req, "before", 1, INT64_MAX, before, error) &&
       query_int(req, "limit", 1, 1000, limit, error);
  if (!ok) return std::vector<access::AuditRecord>{};
  const auto n = static_cast<std::uint64_t>(limit.value_or(100));
  auto order = req.query.find("order");
  if (order == req.query.end() || order->second != "newest")
    return ctx.audit->read(static_cast<std::uint64_t>(after.value_or(0)), n);
  auto head = ctx.audit->head();
  if (!head) return head.error();
  const std::uint64_t end = before ? std::min<std::uint64_t>(*before, head->seq + 1) : head->seq + 1;  // exclusive
  const std::uint64_t start = end > n + 1 ? end - 1 - n : 0;  // read rows with seq > start
  auto rows = ctx.audit->read(start, static_cast<std::size_t>(end - 1 - start));
  if (rows) std::reverse(rows->begin(), rows->end());
  return rows;
}

Response audit(ApiContext& ctx, Request& req) {
  Response error;
  bool args_ok = true;
  auto rows = read_audit(ctx, req, error, args_ok);
  if (!args_ok) return error;
  if (!rows) return fail(rows.error());
  json out = json::array();
  for (const auto& r : *rows) {
    out.push_back({{"seq", r.seq},
                   {"time", format_iso8601(from_unix_ms(r.time_ms))},
                   {"actor_kind", access::to_string(r.entry.actor_kind)},
                   {"actor", r.entry.actor_name},
                   {"method", access::to_string(r.entry.method)},
                   {"door", r.entry.door},
                   {"action", r.entry.action},
                   {"result", access::to_string(r.entry.result)},
                   {"detail", r.entry.detail},
                   {"hash", r.hash}});
  }
  return ok({{"audit", out}});
}

Response sim_lines(ApiContext& ctx) {
  json out = json::array();
  for (const auto& l : ctx.sim->lines())
    out.push_back({{"name", l.name}, {"direction", l.direction}, {"value", l.value ? 1 : 0}, {"changes", l.changes}});
  json doors = json::array();
  for (const auto& [door, group] : ctx.sim_door_groups) doors.push_back({{"id", door}, {"ring_group", group}});
  return ok({{"lines", out}, {"doors", doors}});
}

Response sim_drive(ApiContext& ctx, Request& req) {
  json body;
  Response error;
  if (!parse_json_body(req, body, error)) return error;
  auto v = body.find("value");
  if (v == body.end() || !(v->is_number_integer() || v->is_boolean()))
    return fail(400, "invalid_argument", "value: 0 or 1");
  const bool value = v->is_boolean() ? v->get<bool>() : v->get<long long>() != 0;
  if (v->is_number_integer() && v->get<long long>() != 0 && v->get<long long>() != 1)
    return fail(400, "invalid_argument", "value: 0 or 1");
  if (auto st = ctx.sim->drive(req.params["name"], value); !st) return fail(st.error());
  return ok({{"name", req.params["name"]}, {"value", value ? 1 : 0}});
}

}  // namespace

void register_event_routes(Router& router, ApiContext& ctx) {
  if (ctx.stream) {
    router.add_sync("GET", "/api/events/history",
                    guarded(ctx, Access::user, [&ctx](Request& req, const access::Principal& p) { return history(ctx, req, p); }));
  }
  if (ctx.audit) {
    router.add_sync("GET", "/api/audit",
                    guarded(ctx, Access::admin, [&ctx](Request& req, const access::Principal&) { return audit(ctx, req); }));
  }
  if (ctx.sim) {
    router.add_sync("GET", "/api/sim/lines",
                    guarded(ctx, Access::admin, [&ctx](Request&, const access::Principal&) { return sim_lines(ctx); }));
    router.add_sync("POST", "/api/sim/lines/{name}",
                    guarded(ctx, Access::admin, [&ctx](Request& req, const access::Principal&) { return sim_drive(ctx, req); }));
  }
}

}  // namespace portier::api
