// The guest side of passes, without login: GET /g/{token} shows the pass (and never opens anything), POST
// /g/{token}/open opens a door (JSON from /js/guest.js, or a plain form POST that gets the page back).
#include "api/guest_page.hpp"
#include "api/json_response.hpp"
#include "api/routes.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"

namespace portier::api {
namespace {

using access::PassDenial;

int status_for(PassDenial d) {
  switch (d) {
    case PassDenial::none: return 200;
    case PassDenial::invalid:
    case PassDenial::expired:
    case PassDenial::exhausted: return 410;
    case PassDenial::rate_limited:
    case PassDenial::pin_locked: return 429;
    case PassDenial::not_yet_valid:
    case PassDenial::outside_schedule:
    case PassDenial::door_not_allowed:
    case PassDenial::pin_required:
    case PassDenial::wrong_pin: return 403;
  }
  return 403;
}

void guest_headers(Response& r, int retry_after) {
  r.headers["X-Robots-Tag"] = "noindex, nofollow";
  r.headers["Referrer-Policy"] = "no-referrer";
  if (retry_after > 0) r.headers["Retry-After"] = std::to_string(retry_after);
}

Response page(int status, std::string html, int retry_after) {
  auto r = Response::text(status, std::move(html), "text/html; charset=utf-8");
  guest_headers(r, retry_after);
  return r;
}

Response store_down() {
  auto r = fail(503, "unavailable", "Guest passes are unavailable right now. Please try again shortly.");
  guest_headers(r, 5);
  return r;
}

Response show(ApiContext& ctx, Request& req) {
  const auto lang = pick_language(req.header("Accept-Language"));
  const auto& token = req.params["token"];
  auto v = ctx.passes->view(token, req.client_ip);
  if (!v) return store_down();
  return page(status_for(v->denial), render_guest_page(*v, ctx.passes->zone(), token, lang), v->retry_after);
}

bool form_body(const Request& req) {
  return to_lower(req.header("Content-Type")).rfind("application/x-www-form-urlencoded", 0) == 0;
}

void open(ApiContext& ctx, Request& req, Reply reply) {
  const auto lang = pick_language(req.header("Accept-Language"));
  const std::string token = req.params["token"];
  std::string door, pin;
  const bool form = form_body(req);
  if (form) {
    std::map<std::string, std::string> fields;
    if (!parse_query(req.body, fields)) return reply(fail(400, "invalid_argument", "malformed form body"));
    door = fields["door"];
    pin = fields["pin"];
  } else {
    json body;
    Response error;
    if (!parse_json_body(req, body, error)) return reply(std::move(error));
    if (!require_string(body, "door", door, error)) return reply(std::move(error));
    if (auto it = body.find("pin"); it != body.end() && !it->is_null()) {
      if (!it->is_string()) return reply(fail(400, "invalid_argument", "pin: expected a string of digits"));
      pin = it->get<std::string>();
    }
  }
  if (door.size() > 128 || pin.size() > 16) return reply(fail(400, "invalid_argument", "door or pin too long"));
  const std::string ip = req.client_ip;
  ctx.passes->open(token, door, pin, ip,
                   [&ctx, reply, lang, token, ip, door, form](access::PassService::OpenResult r) {
                     std::string message;
                     int status = 200;
                     std::string code = "ok";
                     if (r.denial != PassDenial::none) {
                       status = status_for(r.denial);
                       code = std::string(to_string(r.denial));
                       access::PassService::GuestView view;
                       view.retry_after = r.retry_after;
                       view.pass = r.pass;  // for the times in "expired on ..." (never for unknown/revoked links)
                       message = denial_message(lang, r.denial, &view, ctx.passes->zone());
                     } else if (r.error) {
                       status = http_status_for(r.error->code);
                       if (status < 500) status = 503;
                       code = error_code_name(r.error->code);
                       message = std::string(guest_text(lang, "door_failed"));
                     }
                     if (form) {
                       // No JavaScript: answer with the page again and the outcome on top.
                       access::PassService::GuestView v;
                       if (auto fresh = ctx.passes->view(token, ip)) v = std::move(*fresh);
                       GuestOutcome outcome;
                       outcome.opened = status == 200;
                       if (outcome.opened) {
                         std::string name = door;
                         for (const auto& d : v.doors)
                           if (d.id == door) name = d.name;
                         outcome.message = opened_message(lang, name);
                       } else {
                         outcome.message = message;
                       }
                       return reply(page(status, render_guest_page(v, ctx.passes->zone(), token, lang, outcome),
                                         r.retry_after));
                     }
                     if (status != 200) {
                       auto res = fail(status, code, message);
                       guest_headers(res, r.retry_after);
                       return reply(std::move(res));
                     }
                     json j = {{"door", door},
                               {"remaining_uses", r.remaining_uses ? json(*r.remaining_uses) : json(nullptr)}};
                     if (r.unlocked && r.unlocked->relock_at) j["relock_at"] = format_iso8601(*r.unlocked->relock_at);
                     auto res = ok(j);
                     guest_headers(res, 0);
                     reply(std::move(res));
                   });
}

}  // namespace

void register_guest_routes(Router& router, ApiContext& ctx) {
  if (!ctx.passes) return;
  router.add_sync("GET", "/g/{token}", [&ctx](Request& req) { return show(ctx, req); });
  router.add("POST", "/g/{token}/open", [&ctx](Request& req, Reply reply) { open(ctx, req, std::move(reply)); });
}

}  // namespace portier::api
