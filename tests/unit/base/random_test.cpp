#include "base/random.hpp"

#include <set>

#include <gtest/gtest.h>

TEST(Random, TokensAreUrlSafeAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto t = portier::random_token(32);
    EXPECT_EQ(t.size(), 43u);
    EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Random, Sha256KnownVector) {
  EXPECT_EQ(portier::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Random, UuidShape) {
  auto u = portier::random_uuid();
  ASSERT_EQ(u.size(), 36u);
  EXPECT_EQ(u[14], '4');
  EXPECT_EQ(u[8], '-');
}

TEST(Random, ConstantTimeEqual) {
  EXPECT_TRUE(portier::constant_time_equal("abc", "abc"));
  EXPECT_FALSE(portier::constant_time_equal("abc", "abd"));
  EXPECT_FALSE(portier::constant_time_equal("abc", "abcd"));
}
