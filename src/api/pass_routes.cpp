// /api/passes (guest passes: create, list, edit, revoke, delete, new link) and /api/qr (QR images of links).
#include "api/guest_page.hpp"
#include "api/json_response.hpp"
#include "api/qr_image.hpp"
#include "api/routes.hpp"
#include "base/error.hpp"

namespace portier::api {
namespace {

using access::GuestPass;
using access::PassDraft;

json schedule_json(const std::vector<access::ScheduleWindow>& schedule) {
  json out = json::array();
  for (const auto& w : schedule) {
    json days = json::array();
    for (int d = 0; d < 7; ++d)
      if ((w.days >> d) & 1U) days.push_back(access::weekday_name(d));
    out.push_back({{"days", days},
                   {"from", access::format_clock_minutes(w.from_minute)},
                   {"to", access::format_clock_minutes(w.to_minute)}});
  }
  return out;
}

json pass_json(const access::PassService& passes, const GuestPass& p) {
  const auto& zone = passes.zone();
  json j = {{"id", p.id},
            {"label", p.label},
            {"doors", p.doors},
            {"valid_from", zone.format(p.valid_from)},
            {"valid_until", zone.format(p.valid_until)},
            {"schedule", schedule_json(p.schedule)},
            {"max_uses", p.max_uses ? json(*p.max_uses) : json(nullptr)},
            {"uses", p.uses},
            {"remaining_uses", p.remaining_uses() ? json(*p.remaining_uses()) : json(nullptr)},
            {"pin", p.has_pin()},
            {"note", p.note},
            {"created_by", p.created_by_name},
            {"created_at", format_iso8601(p.created_at)},
            {"status", access::to_string(passes.status(p))},
            {"open_now", passes.open_now(p)}};
  j["revoked_at"] = p.revoked_at ? json(format_iso8601(*p.revoked_at)) : json(nullptr);
  j["last_used_at"] = p.last_used_at ? json(format_iso8601(*p.last_used_at)) : json(nullptr);
  if (p.pin_locked_until) j["pin_locked_until"] = format_iso8601(*p.pin_locked_until);
  return j;
}

Error bad(std::string message) { return Error(errc::invalid_argument, std::move(message)); }

Result<std::vector<access::ScheduleWindow>> parse_schedule(const json& value) {
  std::vector<access::ScheduleWindow> out;
  if (value.is_null()) return out;
  if (!value.is_array()) return bad("schedule: expected a list of {days, from, to}");
  for (const auto& w : value) {
    if (!w.is_object()) return bad("schedule: expected a list of {days, from, to}");
    access::ScheduleWindow win;
    win.days = 0;
    auto days = w.find("days");
    if (days == w.end()) {
      win.days = 0x7f;
    } else {
      if (!days->is_array()) return bad("schedule: days must be a list such as [\"mon\",\"fri\"]");
      for (const auto& d : *days) {
        if (!d.is_string()) return bad("schedule: days must be a list such as [\"mon\",\"fri\"]");
        auto day = access::parse_weekday(d.get<std::string>());
        if (!day) return bad("schedule: " + day.error().what());
        win.days = static_cast<std::uint8_t>(win.days | (1U << *day));
      }
    }
    for (auto [key, target] : {std::pair{"from", &win.from_minute}, std::pair{"to", &win.to_minute}}) {
      auto it = w.find(key);
      if (it == w.end()) continue;
      if (!it->is_string()) return bad(std::string("schedule: ") + key + " must be \"HH:MM\"");
      auto m = access::parse_clock_minutes(it->get<std::string>());
      if (!m) return bad("schedule: " + m.error().what());
      *target = *m;
    }
    out.push_back(win);
  }
  return out;
}

// Reads a draft from a JSON body; absent keys stay unset (defaults on create, unchanged on edit).
Result<PassDraft> parse_draft(const json& body, const access::SiteTimeZone& zone) {
  PassDraft d;
  auto string_field = [&](const char* key, std::optional<std::string>& out) -> Status {
    auto it = body.find(key);
    if (it == body.end()) return {};
    if (!it->is_string()) return bad(std::string(key) + ": expected a string");
    out = it->get<std::string>();
    return {};
  };
  if (auto st = string_field("label", d.label); !st) return st.error();
  if (auto st = string_field("note", d.note); !st) return st.error();
  if (auto it = body.find("pin"); it != body.end() && !it->is_null()) {
    if (!it->is_string()) return bad("pin: expected a string of 4 to 8 digits (\"\" removes the PIN)");
    d.pin = it->get<std::string>();
  }
  if (auto it = body.find("doors"); it != body.end()) {
    if (!it->is_array()) return bad("doors: expected a list of door ids");
    std::vector<std::string> doors;
    for (const auto& x : *it) {
      if (!x.is_string()) return bad("doors: expected a list of door ids");
      doors.push_back(x.get<std::string>());
    }
    d.doors = std::move(doors);
  }
  for (auto [key, target] : {std::pair{"valid_from", &d.valid_from}, std::pair{"valid_until", &d.valid_until}}) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_string()) return bad(std::string(key) + ": expected an ISO 8601 time");
    auto t = zone.parse(it->get<std::string>());
    if (!t) return bad(std::string(key) + ": " + t.error().what());
    *target = *t;
  }
  if (auto it = body.find("max_uses"); it != body.end()) {
    d.set_max_uses = true;
    if (it->is_null()) {
      d.max_uses.reset();
    } else if (it->is_number_integer()) {
      d.max_uses = it->get<long long>() > 1000000 ? 1000001 : static_cast<int>(std::max(it->get<long long>(), -1LL));
    } else {
      return bad("max_uses: expected a whole number, or null for unlimited");
    }
  }
  if (auto it = body.find("schedule"); it != body.end()) {
    auto s = parse_schedule(*it);
    if (!s) return s.error();
    d.schedule = std::move(*s);
  }
  return d;
}

std::string link_base(ApiContext& ctx, const Request& req) {
  if (!ctx.public_url.empty()) {
    auto base = ctx.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
  }
  auto host = req.header("Host");
  if (host.empty()) host = "localhost";
  return std::string(req.secure ? "https://" : "http://") + host;
}

Result<std::int64_t> pass_id(const Request& req) {
  try {
    std::size_t used = 0;
    const auto& text = req.params.at("id");
    const auto id = std::stoll(text, &used);
    if (used == text.size() && id > 0) return id;
  } catch (const std::exception&) {
  }
  return Error(errc::not_found, "no such pass");
}

Response created(ApiContext& ctx, const Request& req, const access::PassService::Created& c, int status) {
  return ok({{"pass", pass_json(*ctx.passes, c.pass)}, {"url", link_base(ctx, req) + "/g/" + c.token}}, status);
}

Response create(ApiContext& ctx, Request& req, const access::Principal& p) {
  json body;
  Response error;
  if (!parse_json_body(req, body, error)) return error;
  auto draft = parse_draft(body, ctx.passes->zone());
  if (!draft) return fail(draft.error());
  auto c = ctx.passes->create(actor_for(p), method_for(req, p), *draft);
  if (!c) return fail(c.error());
  return created(ctx, req, *c, 201);
}

Response list(ApiContext& ctx, const access::Principal& p) {
  auto passes = ctx.passes->list(actor_for(p));
  if (!passes) return fail(passes.error());
  json out = json::array();
  for (const auto& x : *passes) out.push_back(pass_json(*ctx.passes, x));
  return ok({{"passes", out}, {"timezone", ctx.passes->zone().name()}});
}

Response get(ApiContext& ctx, Request& req, const access::Principal& p) {
  auto id = pass_id(req);
  if (!id) return fail(id.error());
  auto x = ctx.passes->get(actor_for(p), *id);
  if (!x) return fail(x.error());
  return ok({{"pass", pass_json(*ctx.passes, *x)}});
}

Response edit(ApiContext& ctx, Request& req, const access::Principal& p) {
  auto id = pass_id(req);
  if (!id) return fail(id.error());
  json body;
  Response error;
  if (!parse_json_body(req, body, error)) return error;
  auto draft = parse_draft(body, ctx.passes->zone());
  if (!draft) return fail(draft.error());
  auto x = ctx.passes->update(actor_for(p), method_for(req, p), *id, *draft);
  if (!x) return fail(x.error());
  return ok({{"pass", pass_json(*ctx.passes, *x)}});
}

// DELETE revokes (the pass stays listed as revoked); ?permanent=true deletes it (its audit rows stay).
Response revoke(ApiContext& ctx, Request& req, const access::Principal& p) {
  auto id = pass_id(req);
  if (!id) return fail(id.error());
  if (auto it = req.query.find("permanent"); it != req.query.end() && (it->second == "true" || it->second == "1")) {
    if (auto st = ctx.passes->remove(actor_for(p), method_for(req, p), *id); !st) return fail(st.error());
    return ok({{"deleted", *id}});
  }
  auto x = ctx.passes->revoke(actor_for(p), method_for(req, p), *id);
  if (!x) return fail(x.error());
  return ok({{"pass", pass_json(*ctx.passes, *x)}});
}

Response new_link(ApiContext& ctx, Request& req, const access::Principal& p) {
  auto id = pass_id(req);
  if (!id) return fail(id.error());
  auto c = ctx.passes->new_link(actor_for(p), method_for(req, p), *id);
  if (!c) return fail(c.error());
  return created(ctx, req, *c, 200);
}

// GET /api/qr?text=...&format=svg|png[&scale=N]
Response qr(Request& req) {
  auto text = req.query.find("text");
  if (text == req.query.end() || text->second.empty()) return fail(400, "invalid_argument", "text: required");
  const auto format = req.query.count("format") ? req.query.at("format") : std::string("svg");
  if (format == "png") {
    int scale = 8;
    if (auto it = req.query.find("scale"); it != req.query.end()) {
      try {
        scale = std::stoi(it->second);
      } catch (const std::exception&) {
        return fail(400, "invalid_argument", "scale: 1 .. 32");
      }
    }
    auto png = qr_png(text->second, scale);
    if (!png) return fail(png.error());
    return Response::text(200, std::move(*png), "image/png");
  }
  if (format != "svg") return fail(400, "invalid_argument", "format: svg or png");
  auto svg = qr_svg(text->second);
  if (!svg) return fail(svg.error());
  return Response::text(200, std::move(*svg), "image/svg+xml");
}

}  // namespace

void register_pass_routes(Router& router, ApiContext& ctx) {
  router.add_sync("GET", "/api/qr", guarded(ctx, Access::user, [](Request& req, const access::Principal&) {
                    return qr(req);
                  }));
  if (!ctx.passes) return;
  router.add_sync("GET", "/api/passes",
                  guarded(ctx, Access::user, [&ctx](Request&, const access::Principal& p) { return list(ctx, p); }));
  router.add_sync("POST", "/api/passes", guarded(ctx, Access::user, [&ctx](Request& req, const access::Principal& p) {
                    return create(ctx, req, p);
                  }));
  router.add_sync("GET", "/api/passes/{id}", guarded(ctx, Access::user, [&ctx](Request& req, const access::Principal& p) {
                    return get(ctx, req, p);
                  }));
  router.add_sync("PATCH", "/api/passes/{id}",
                  guarded(ctx, Access::user,
                          [&ctx](Request& req, const access::Principal& p) { return edit(ctx, req, p); }));
  router.add_sync("DELETE", "/api/passes/{id}",
                  guarded(ctx, Access::user,
                          [&ctx](Request& req, const access::Principal& p) { return revoke(ctx, req, p); }));
  router.add_sync("POST", "/api/passes/{id}/link",
                  guarded(ctx, Access::user,
                          [&ctx](Request& req, const access::Principal& p) { return new_link(ctx, req, p); }));
}

}  // namespace portier::api
