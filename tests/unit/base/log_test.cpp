#include "base/log.hpp"

#include <gtest/gtest.h>

TEST(Log, RedactsSecrets) {
  auto out = portier::log::redact("login password=hunter2 token=abc&x=1");
  EXPECT_EQ(out.find("hunter2"), std::string::npos);
  EXPECT_EQ(out.find("abc"), std::string::npos);
  EXPECT_NE(out.find("x=1"), std::string::npos);
}

TEST(Log, RedactsDigestAndAuthorizationHeaders) {
  auto out = portier::log::redact(
      "REGISTER sip:x SIP/2.0\r\nAuthorization: Digest username=\"7002\", response=\"deadbeef\"\r\nVia: x\r\n");
  EXPECT_EQ(out.find("deadbeef"), std::string::npos);
  EXPECT_NE(out.find("Via: x"), std::string::npos);
}

TEST(Log, RejectsUnknownLevel) {
  portier::log::Options o;
  o.level = "loud";
  EXPECT_THROW(portier::log::configure(o), std::invalid_argument);
  EXPECT_TRUE(portier::log::valid_level("debug"));
  EXPECT_FALSE(portier::log::valid_level("loud"));
}
