#include "access/password_hasher.hpp"

#include <gtest/gtest.h>

using portier::access::PasswordHasher;

TEST(PasswordHasher, HashesWithArgon2idAndVerifies) {
  PasswordHasher h(1, 8 * 1024 * 1024);
  auto hash = h.hash("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(h.verify(*hash, "correct horse battery"));
  EXPECT_FALSE(h.verify(*hash, "correct horse batterY"));
  EXPECT_FALSE(h.verify("", "x"));
  EXPECT_FALSE(h.verify("not a hash", "x"));
}

TEST(PasswordHasher, SaltMakesHashesDiffer) {
  PasswordHasher h(1, 8 * 1024 * 1024);
  EXPECT_NE(*h.hash("same password"), *h.hash("same password"));
}

TEST(PasswordHasher, DummyHashNeverMatchesCommonInput) {
  PasswordHasher h(1, 8 * 1024 * 1024);
  EXPECT_FALSE(h.verify(h.dummy_hash(), ""));
  EXPECT_FALSE(h.verify(h.dummy_hash(), "password"));
}

TEST(PasswordPolicy, LengthLimits) {
  EXPECT_FALSE(portier::access::check_password_policy("short").empty());
  EXPECT_TRUE(portier::access::check_password_policy("long enough pw").empty());
  EXPECT_FALSE(portier::access::check_password_policy(std::string(300, 'x')).empty());
}
