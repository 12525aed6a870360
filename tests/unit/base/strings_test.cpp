#include "base/strings.hpp"

#include <gtest/gtest.h>

TEST(Strings, Trim) { EXPECT_EQ(portier::trim("  a b \r\n"), "a b"); }

TEST(Strings, Split) {
  auto parts = portier::split("a,,b", ',');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2], "b");
}

TEST(Strings, UrlDecode) {
  std::string out;
  EXPECT_TRUE(portier::url_decode("a%20b+c", out, true));
  EXPECT_EQ(out, "a b c");
  EXPECT_FALSE(portier::url_decode("bad%2", out, false));
  EXPECT_FALSE(portier::url_decode("bad%zz", out, false));
}
