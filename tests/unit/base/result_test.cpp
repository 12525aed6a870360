#include "base/error.hpp"
#include "base/result.hpp"

#include <gtest/gtest.h>

using portier::errc;
using portier::Result;

TEST(Result, HoldsValue) {
  Result<int> r = 42;
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 42);
}

TEST(Result, HoldsErrorWithMessage) {
  Result<int> r(errc::not_found, "no such door");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::not_found);
  EXPECT_EQ(r.error().what(), "no such door");
}

TEST(Result, ErrorWithoutMessageUsesCategoryText) {
  portier::Status s = errc::rate_limited;
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().what(), "too many requests");
  EXPECT_STREQ(s.error().code.category().name(), "portier");
}
