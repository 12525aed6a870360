#include "api/guest_page.hpp"

#include <array>
#include <utility>

#include "base/strings.hpp"

namespace portier::api {
namespace {

using access::PassDenial;

struct Entry {
  std::string_view key;
  std::string_view en;
  std::string_view de;
};

// One catalogue: add a language by adding a column (and to kLanguages); guest_page_test checks none is empty.
constexpr std::array<Entry, 25> kTexts = {{
    {"title", "Guest pass", "Gästepass"},
    {"hello", "Hello {label}", "Hallo {label}"},
    {"doors", "This pass opens:", "Dieser Pass öffnet:"},
    {"valid", "Valid {from} until {until} ({zone})", "Gültig von {from} bis {until} ({zone})"},
    {"uses_left", "Uses left: {n}", "Verbleibende Öffnungen: {n}"},
    {"uses_unlimited", "No limit on uses", "Beliebig oft nutzbar"},
    {"schedule", "Opens only: {schedule}", "Öffnet nur: {schedule}"},
    {"pin", "PIN", "PIN"},
    {"open", "Open {door}", "{door} öffnen"},
    {"opening", "Opening…", "Wird geöffnet…"},
    {"opened", "{door} is open. Come in!", "{door} ist offen. Herein!"},
    {"invalid_pass", "This link is not valid. Please ask your host for a new one.",
     "Dieser Link ist nicht gültig. Bitte fragen Sie Ihren Gastgeber nach einem neuen."},
    {"pass_expired", "This pass expired on {until}.", "Dieser Pass ist am {until} abgelaufen."},
    {"pass_exhausted", "This pass has been used up.", "Dieser Pass ist aufgebraucht."},
    {"pass_not_yet_valid", "This pass is valid from {from}.", "Dieser Pass gilt ab {from}."},
    {"outside_schedule", "This pass does not open the door at this time ({schedule}).",
     "Dieser Pass öffnet zu dieser Zeit nicht ({schedule})."},
    {"door_not_allowed", "This pass does not open that door.", "Dieser Pass öffnet diese Tür nicht."},
    {"pin_required", "Please enter the PIN.", "Bitte geben Sie die PIN ein."},
    {"wrong_pin", "Wrong PIN.", "Falsche PIN."},
    {"pin_locked", "Too many wrong PINs. Try again in {minutes} minutes.",
     "Zu viele falsche PINs. Bitte in {minutes} Minuten erneut versuchen."},
    {"rate_limited", "Too many attempts. Please wait a moment.", "Zu viele Versuche. Bitte kurz warten."},
    {"door_failed", "The door did not open. Please try again or call your host.",
     "Die Tür hat sich nicht geöffnet. Bitte erneut versuchen oder den Gastgeber anrufen."},
    {"network_error", "No connection to the door. Please try again.",
     "Keine Verbindung zur Tür. Bitte erneut versuchen."},
    {"days", "Mon Tue Wed Thu Fri Sat Sun", "Mo Di Mi Do Fr Sa So"},
    {"back", "Back", "Zurück"},
}};
constexpr std::array<std::string_view, 2> kLanguages = {"en", "de"};

std::string fill(std::string text, std::string_view name, std::string_view value) {
  const std::string marker = "{" + std::string(name) + "}";
  for (auto pos = text.find(marker); pos != std::string::npos; pos = text.find(marker, pos + value.size()))
    text.replace(pos, marker.size(), value);
  return text;
}

std::string schedule_text(std::string_view lang, const std::vector<access::ScheduleWindow>& schedule) {
  const auto names = split(guest_text(lang, "days"), ' ');
  std::string out;
  for (const auto& w : schedule) {
    std::string days;
    for (int d = 0; d < 7; ++d)
      if ((w.days >> d) & 1U) days += (days.empty() ? "" : ",") + std::string(d < static_cast<int>(names.size()) ? names[d] : "?");
    out += (out.empty() ? "" : "; ") + days + " " + access::format_clock_minutes(w.from_minute) + "–" +
           access::format_clock_minutes(w.to_minute);
  }
  return out;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string pick_language(std::string_view accept_language) {
  // Highest q wins; ties keep header order.
  std::string best = "en";
  double best_q = -1;
  for (auto item : split(accept_language, ',')) {
    item = trim(item);
    double q = 1.0;
    const auto semi = item.find(';');
    std::string_view tag = trim(item.substr(0, semi));
    if (semi != std::string_view::npos) {
      const auto params = item.substr(semi + 1);
      const auto qpos = params.find("q=");
      if (qpos != std::string_view::npos) {
        try {
          q = std::stod(std::string(params.substr(qpos + 2)));
        } catch (const std::exception&) {
          q = 0;
        }
      }
    }
    const auto primary = to_lower(tag.substr(0, tag.find('-')));
    for (auto lang : kLanguages)
      if (primary == lang && q > 0 && q > best_q) {  // q=0: "not acceptable"
        best = std::string(lang);
        best_q = q;
      }
  }
  return best;
}

std::string_view guest_text(std::string_view lang, std::string_view key) {
  for (const auto& e : kTexts)
    if (e.key == key) return lang == "de" ? e.de : e.en;
  return key;
}

std::vector<std::string_view> guest_text_keys() {
  std::vector<std::string_view> out;
  for (const auto& e : kTexts) out.push_back(e.key);
  return out;
}

std::vector<std::string_view> guest_languages() { return {kLanguages.begin(), kLanguages.end()}; }

std::string denial_message(std::string_view lang, PassDenial denial, const access::PassService::GuestView* view,
                           const access::SiteTimeZone& zone) {
  std::string text(guest_text(lang, to_string(denial)));
  const access::GuestPass* pass = view && view->pass ? &*view->pass : nullptr;
  if (pass) {
    text = fill(text, "from", zone.format_human(pass->valid_from));
    text = fill(text, "until", zone.format_human(pass->valid_until));
    text = fill(text, "schedule", schedule_text(lang, pass->schedule));
  }
  const int minutes = view ? (view->retry_after + 59) / 60 : 15;
  return fill(text, "minutes", std::to_string(minutes > 0 ? minutes : 1));
}

std::string opened_message(std::string_view lang, std::string_view door_name) {
  return fill(std::string(guest_text(lang, "opened")), "door", door_name);
}

std::string render_guest_page(const access::PassService::GuestView& view, const access::SiteTimeZone& zone,
                              std::string_view token, std::string_view lang,
                              const std::optional<GuestOutcome>& outcome) {
  const auto t = [&](std::string_view key) { return std::string(guest_text(lang, key)); };
  std::string h;
  h += "<!doctype html>\n<html lang=\"" + std::string(lang) + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<meta name=\"robots\" content=\"noindex, nofollow\">\n<meta name=\"referrer\" content=\"no-referrer\">\n";
  h += "<title>" + html_escape(t("title")) + "</title>\n";
  h += "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n";
  h += "<link rel=\"stylesheet\" href=\"/css/app.css\">\n<link rel=\"stylesheet\" href=\"/css/components.css\">\n";
  h += "<link rel=\"stylesheet\" href=\"/css/guest.css\">\n";
  h += "<script type=\"module\" src=\"/js/guest.js\"></script>\n</head>\n<body class=\"guest\">\n<main class=\"guest-card\"";
  // Texts the script needs, from the same catalogue.
  for (auto key : {"opening", "opened", "network_error", "door_failed"})
    h += " data-msg-" + std::string(key) + "=\"" + html_escape(t(key)) + "\"";
  h += ">\n<h1>" + html_escape(t("title")) + "</h1>\n";

  if (outcome) {
    h += std::string("<p class=\"alert ") + (outcome->opened ? "alert-success" : "alert-error") +
         "\" role=\"status\" id=\"guest-result\">" + html_escape(outcome->message) + "</p>\n";
  } else {
    h += "<p class=\"alert\" role=\"status\" id=\"guest-result\" hidden></p>\n";
  }

  if (!view.pass || view.denial == PassDenial::invalid || view.denial == PassDenial::rate_limited) {
    if (!outcome) h += "<p class=\"alert alert-error\" id=\"guest-denial\">" +
                       html_escape(denial_message(lang, view.denial, &view, zone)) + "</p>\n";
    h += "</main>\n</body>\n</html>\n";
    return h;
  }
  const auto& p = *view.pass;
  h += "<p class=\"guest-hello\">" + html_escape(fill(t("hello"), "label", p.label)) + "</p>\n";
  h += "<p class=\"guest-valid\">" +
       html_escape(fill(fill(fill(t("valid"), "from", zone.format_human(p.valid_from)), "until",
                             zone.format_human(p.valid_until)),
                        "zone", zone.name())) +
       "</p>\n";
  if (!p.schedule.empty())
    h += "<p class=\"guest-schedule\">" + html_escape(fill(t("schedule"), "schedule", schedule_text(lang, p.schedule))) +
         "</p>\n";
  if (auto left = p.remaining_uses())
    h += "<p class=\"guest-uses\" id=\"guest-uses\">" + html_escape(fill(t("uses_left"), "n", std::to_string(*left))) +
         "</p>\n";
  else
    h += "<p class=\"guest-uses\">" + html_escape(t("uses_unlimited")) + "</p>\n";

  if (view.denial != PassDenial::none) {
    if (!outcome || outcome->opened)
      h += "<p class=\"alert alert-error\" id=\"guest-denial\">" +
           html_escape(denial_message(lang, view.denial, &view, zone)) + "</p>\n";
    h += "</main>\n</body>\n</html>\n";
    return h;
  }
  // A form that works without JavaScript; guest.js turns it into a JSON POST. GET never opens anything.
  h += "<form class=\"guest-form\" method=\"post\" action=\"/g/" + html_escape(token) + "/open\" id=\"guest-form\">\n";
  if (p.has_pin())
    h += "<label class=\"field\"><span>" + html_escape(t("pin")) +
         "</span><input name=\"pin\" id=\"guest-pin\" inputmode=\"numeric\" autocomplete=\"one-time-code\" "
         "pattern=\"[0-9]{4,8}\" minlength=\"4\" maxlength=\"8\" required></label>\n";
  h += "<p>" + html_escape(t("doors")) + "</p>\n<div class=\"guest-doors\">\n";
  for (const auto& d : view.doors)
    h += "<button type=\"submit\" class=\"btn btn-primary btn-large guest-open\" name=\"door\" value=\"" +
         html_escape(d.id) + "\" data-door-name=\"" + html_escape(d.name) + "\">" +
         html_escape(fill(t("open"), "door", d.name)) + "</button>\n";
  h += "</div>\n</form>\n</main>\n</body>\n</html>\n";
  return h;
}

}  // namespace portier::api
