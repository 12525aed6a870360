#include <gtest/gtest.h>

#include "rtp/dtmf_info.hpp"
#include "rtp/rtp_error.hpp"

namespace portier::rtp {
namespace {

TEST(DtmfInfo, ParsesTheCommonBody) {
  auto r = parse_dtmf_relay("Signal=5\r\nDuration=160\r\n");
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->digit, '5');
  EXPECT_EQ(r->event, 5);
  EXPECT_EQ(r->duration, std::chrono::milliseconds(160));
}

TEST(DtmfInfo, VariantsFromTheField) {
  EXPECT_EQ(parse_dtmf_relay("signal = #\nduration = 100")->digit, '#');
  EXPECT_EQ(parse_dtmf_relay("Signal=11\r\n")->digit, '#');
  EXPECT_EQ(parse_dtmf_relay("Signal=*\r\n")->event, 10);
  EXPECT_EQ(parse_dtmf_relay("Signal=d\r\n")->digit, 'D');
  EXPECT_EQ(parse_dtmf_relay("Signal=1\r\n")->duration, std::chrono::milliseconds(250));
}

TEST(DtmfInfo, RejectsBadBodies) {
  for (const char* body : {"", "Duration=160", "Signal=x", "Signal=16", "Signal=5\r\nDuration=abc", "Signal"}) {
    SCOPED_TRACE(body);
    auto r = parse_dtmf_relay(body);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::bad_value);
  }
}

}  // namespace
}  // namespace portier::rtp
