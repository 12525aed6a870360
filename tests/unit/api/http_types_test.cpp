#include "api/http_types.hpp"

#include <gtest/gtest.h>

using namespace portier::api;

TEST(HttpTypes, CookiesAndCaseInsensitiveHeaders) {
  Request r;
  r.headers["cookie"] = "a=1; portier_session=abc ; b=2";
  EXPECT_EQ(r.cookie("portier_session"), "abc");
  EXPECT_EQ(r.cookie("b"), "2");
  EXPECT_FALSE(r.cookie("c"));
  EXPECT_EQ(r.header("COOKIE"), r.headers["Cookie"]);
}

TEST(HttpTypes, QueryParsing) {
  std::map<std::string, std::string> q;
  EXPECT_TRUE(parse_query("limit=10&door=front%20gate&flag", q));
  EXPECT_EQ(q["limit"], "10");
  EXPECT_EQ(q["door"], "front gate");
  EXPECT_EQ(q["flag"], "");
  std::map<std::string, std::string> bad;
  EXPECT_FALSE(parse_query("x=%zz", bad));
}
