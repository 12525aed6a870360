#include <gtest/gtest.h>

#include "media/source_latch.hpp"

namespace portier::media {
namespace {

using Ep = SourceLatch::Endpoint;
Ep ep(const char* a, unsigned short port) { return {boost::asio::ip::make_address(a), port}; }

TEST(SourceLatch, LatchesToTheRealSourceBehindNat) {
  RtpConfig c;
  c.latch_packets = 3;
  SourceLatch l(c);
  l.expect(ep("192.168.1.20", 4000));  // private address in the SDP
  EXPECT_EQ(l.destination(), ep("192.168.1.20", 4000));
  EXPECT_TRUE(l.accept(ep("203.0.113.7", 61000)));  // the NAT's public mapping
  EXPECT_EQ(l.destination(), ep("203.0.113.7", 61000));
  EXPECT_TRUE(l.accept(ep("203.0.113.7", 61000)));
  EXPECT_TRUE(l.accept(ep("203.0.113.7", 61000)));
  // After the window: a stranger is refused and does not move the destination.
  EXPECT_FALSE(l.accept(ep("198.51.100.9", 5000)));
  EXPECT_EQ(l.destination(), ep("203.0.113.7", 61000));
  // A source in the signalled network may re-latch (the phone changed port).
  EXPECT_TRUE(l.accept(ep("192.168.1.20", 4002)));
  EXPECT_EQ(l.destination(), ep("192.168.1.20", 4002));
  EXPECT_EQ(l.relatches(), 1u);
}

TEST(SourceLatch, NewSignallingReopensTheWindow) {
  RtpConfig c;
  c.latch_packets = 1;
  SourceLatch l(c);
  l.expect(std::nullopt);
  EXPECT_FALSE(l.destination());
  EXPECT_TRUE(l.accept(ep("10.0.0.1", 1000)));
  EXPECT_FALSE(l.accept(ep("10.0.0.2", 1000)));  // no signalled network to excuse it
  l.expect(ep("0.0.0.0", 1000));                 // hold address counts as unknown
  EXPECT_FALSE(l.destination());
  EXPECT_TRUE(l.accept(ep("10.0.0.2", 1000)));
}

TEST(SourceLatch, Ipv6Prefix) {
  RtpConfig c;
  c.latch_packets = 1;
  SourceLatch l(c);
  l.expect(ep("2001:db8:1:2::10", 4000));
  EXPECT_TRUE(l.accept(ep("2001:db8:1:2::10", 4000)));
  EXPECT_TRUE(l.accept(ep("2001:db8:1:2::99", 4000)));
  EXPECT_FALSE(l.accept(ep("2001:db8:1:3::10", 4000)));
}

}  // namespace
}  // namespace portier::media
