// The guest page: the string catalogue is complete in every language, Accept-Language picks it, user text is
// escaped, a page never shows a form for a pass that does not open, and the fuzz corpus replays.
#include "api/guest_page.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "api/qr_image.hpp"
#include "fuzz_entries.hpp"

namespace portier::api {
namespace {

using access::PassDenial;

TEST(GuestPage, CatalogueIsCompleteInEveryLanguage) {
  for (auto lang : guest_languages())
    for (auto key : guest_text_keys()) {
      const auto text = guest_text(lang, key);
      EXPECT_FALSE(text.empty()) << lang << " " << key;
      EXPECT_NE(text, key) << lang << " " << key;
    }
}

TEST(GuestPage, PicksTheLanguage) {
  EXPECT_EQ(pick_language(""), "en");
  EXPECT_EQ(pick_language("de-DE,de;q=0.9,en;q=0.8"), "de");
  EXPECT_EQ(pick_language("en-GB,de;q=0.5"), "en");
  EXPECT_EQ(pick_language("fr-FR,de;q=0.7,en;q=0.3"), "de");
  EXPECT_EQ(pick_language("fr"), "en");
  EXPECT_EQ(pick_language("de;q=abc"), "en");
}

access::PassService::GuestView active_view() {
  access::PassService::GuestView v;
  access::GuestPass p;
  p.id = 1;
  p.label = "<script>alert(1)</script>";
  p.doors = {"front"};
  p.valid_from = Clock::SystemTime{std::chrono::seconds{1'800'000'000}};
  p.valid_until = p.valid_from + std::chrono::hours(24);
  p.max_uses = 3;
  p.pin_hash = access::hash_pin("1234");
  v.pass = p;
  v.doors = {{"front", "Front \"door\""}};
  return v;
}

TEST(GuestPage, EscapesAndShowsTheForm) {
  const auto html = render_guest_page(active_view(), access::SiteTimeZone::utc(), "tok", "en");
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("action=\"/g/tok/open\""), std::string::npos);
  EXPECT_NE(html.find("name=\"pin\""), std::string::npos);
  EXPECT_NE(html.find("Open Front &quot;door&quot;"), std::string::npos);
  EXPECT_NE(html.find("Uses left: 3"), std::string::npos);
  EXPECT_NE(html.find("noindex"), std::string::npos);
}

TEST(GuestPage, NoFormWhenThePassDoesNotOpen) {
  for (auto d : {PassDenial::expired, PassDenial::exhausted, PassDenial::not_yet_valid, PassDenial::pin_locked}) {
    auto v = active_view();
    v.denial = d;
    const auto html = render_guest_page(v, access::SiteTimeZone::utc(), "tok", "de");
    EXPECT_EQ(html.find("<form"), std::string::npos) << to_string(d);
    EXPECT_NE(html.find("guest-denial"), std::string::npos) << to_string(d);
  }
  access::PassService::GuestView unknown;
  unknown.denial = PassDenial::invalid;
  const auto html = render_guest_page(unknown, access::SiteTimeZone::utc(), "tok", "en");
  EXPECT_NE(html.find("This link is not valid"), std::string::npos);
  EXPECT_EQ(html.find("<form"), std::string::npos);
}

TEST(GuestPage, DenialMessagesFillTheirTimes) {
  auto v = active_view();
  const auto text = denial_message("en", PassDenial::expired, &v, access::SiteTimeZone::utc());
  EXPECT_EQ(text.find('{'), std::string::npos) << text;
  EXPECT_NE(text.find("2027"), std::string::npos) << text;
}

TEST(QrImage, SvgAndPngAndLimits) {
  auto svg = qr_svg("https://door.example/g/abc");
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->rfind("<svg", 0), 0u);
  auto png = qr_png("https://door.example/g/abc", 4);
  ASSERT_TRUE(png);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_FALSE(qr_svg(""));
  EXPECT_FALSE(qr_png(std::string(1001, 'x')));
  EXPECT_FALSE(qr_png("x", 0));
}

TEST(FuzzReplay, GuestInputCorpus) {
  std::size_t n = 0;
  for (const auto& file :
       std::filesystem::directory_iterator(std::filesystem::path(PORTIER_FUZZ_CORPUS) / "guest_input")) {
    std::ifstream in(file.path(), std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(file.path().string());
    fuzz::guest_input(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    ++n;
  }
  EXPECT_GT(n, 0u);
}

}  // namespace
}  // namespace portier::api
