#pragma once
// The guest page (/g/<token>): server-rendered HTML that works without JavaScript (a form POST) and is enhanced by
// /js/guest.js (a JSON POST, the result shown in place). Every text a guest reads comes from one catalogue
// (guest_text), English first; the language follows Accept-Language.
#include <optional>
#include <string>
#include <string_view>

#include "access/pass_service.hpp"

namespace portier::api {

// "de-DE,de;q=0.9,en;q=0.8" -> "de" when the catalogue has it, else "en".
std::string pick_language(std::string_view accept_language);
// The catalogue; an unknown key returns the key itself (a test checks every language has every key).
std::string_view guest_text(std::string_view lang, std::string_view key);
// Every key and every language of the catalogue (for that test).
std::vector<std::string_view> guest_text_keys();
std::vector<std::string_view> guest_languages();

// The message for a denial ("This link has expired."), with {from}/{until} filled in.
std::string denial_message(std::string_view lang, access::PassDenial denial, const access::PassService::GuestView* view,
                           const access::SiteTimeZone& zone);

// "Front door is open. Come in!"
std::string opened_message(std::string_view lang, std::string_view door_name);

struct GuestOutcome {  // what happened on a form POST (no JavaScript)
  bool opened = false;
  std::string message;
};

std::string render_guest_page(const access::PassService::GuestView& view, const access::SiteTimeZone& zone,
                              std::string_view token, std::string_view lang,
                              const std::optional<GuestOutcome>& outcome = std::nullopt);

std::string html_escape(std::string_view text);

}  // namespace portier::api
