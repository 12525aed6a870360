#include "sip/msg/stream_framer.hpp"

#include <gtest/gtest.h>

#include "unit/sip/sip_text.hpp"

namespace portier::sip::msg {
namespace {

TEST(StreamFramer, KeepAlives) {
  EXPECT_EQ(next_frame("\r\n\r\n")->kind, Frame::Kind::ping);
  EXPECT_EQ(next_frame("\r\n\r\n")->size, 4u);
  EXPECT_EQ(next_frame("\r\n")->kind, Frame::Kind::need_more);
  EXPECT_EQ(next_frame("\r\nREGISTER")->kind, Frame::Kind::pong);
  EXPECT_EQ(next_frame("")->kind, Frame::Kind::need_more);
}

TEST(StreamFramer, SplitsByContentLengthAcrossPartialReads) {
  const auto one = test::crlf("MESSAGE sip:a@h SIP/2.0\nl: 5\nCall-ID: x\n\nhello");
  const auto stream = one + one;
  for (std::size_t n = 0; n < one.size(); ++n) {
    auto f = next_frame(std::string_view(stream).substr(0, n));
    ASSERT_TRUE(f);
    EXPECT_EQ(f->kind, Frame::Kind::need_more) << n;
  }
  auto f = next_frame(stream);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->kind, Frame::Kind::message);
  EXPECT_EQ(f->size, one.size());
  auto m = parse_message(std::string_view(stream).substr(0, f->size));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->body(), "hello");
}

TEST(StreamFramer, Errors) {
  EXPECT_FALSE(next_frame(test::crlf("OPTIONS sip:h SIP/2.0\nCall-ID: x\n\n")));  // no Content-Length
  EXPECT_FALSE(next_frame(test::crlf("OPTIONS sip:h SIP/2.0\nContent-Length: x\n\n")));
  EXPECT_FALSE(next_frame(test::crlf("OPTIONS sip:h SIP/2.0\nContent-Length: 1\nl: 1\n\n")));
  Limits small;
  small.max_message = 64;
  EXPECT_FALSE(next_frame(test::crlf("OPTIONS sip:h SIP/2.0\nContent-Length: 100\n\n"), small));
  EXPECT_FALSE(next_frame(std::string(100, 'A'), small));
}

}  // namespace
}  // namespace portier::sip::msg
