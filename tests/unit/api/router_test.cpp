#include "api/router.hpp"

#include <gtest/gtest.h>

using namespace portier::api;

namespace {
Request req(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}
Handler tag(std::string* out, std::string name) {
  return [out, name](Request&, Reply) { *out = name; };
}
}  // namespace

TEST(Router, MatchesLiteralAndCaptures) {
  Router router;
  std::string hit;
  router.add("GET", "/api/doors", tag(&hit, "list"));
  router.add("POST", "/api/doors/{id}/unlock", tag(&hit, "unlock"));
  auto r = req("POST", "/api/doors/front/unlock");
  auto m = router.match(r);
  ASSERT_NE(m.handler, nullptr);
  (*m.handler)(r, [](Response) {});
  EXPECT_EQ(hit, "unlock");
  EXPECT_EQ(r.params.at("id"), "front");
}

TEST(Router, MethodMismatchIs405WithAllow) {
  Router router;
  std::string hit;
  router.add("GET", "/api/users", tag(&hit, "list"));
  router.add("POST", "/api/users", tag(&hit, "add"));
  auto r = req("DELETE", "/api/users");
  auto m = router.match(r);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_EQ(m.status, 405);
  EXPECT_EQ(m.allow, "GET, POST");
}

TEST(Router, UnknownPathIs404AndSegmentsMustAllMatch) {
  Router router;
  std::string hit;
  router.add("GET", "/api/doors/{id}", tag(&hit, "one"));
  for (auto path : {"/api/doors", "/api/doors/a/b", "/api/door/a", "/"}) {
    auto r = req("GET", path);
    auto m = router.match(r);
    EXPECT_EQ(m.handler, nullptr) << path;
    EXPECT_EQ(m.status, 404) << path;
  }
}

TEST(Router, HeadUsesGetRoutesAndSlashesAreNormalised) {
  Router router;
  std::string hit;
  router.add("GET", "/health", tag(&hit, "health"));
  auto r = req("HEAD", "/health");
  EXPECT_NE(router.match(r).handler, nullptr);
  auto r2 = req("GET", "//health/");
  EXPECT_NE(router.match(r2).handler, nullptr);
}
