#include <gtest/gtest.h>

#include <set>

#include "media/port_pool.hpp"

namespace portier::media {
namespace {

TEST(PortPool, EvenPairsInsideTheRange) {
  PortPool p(10001, 10008);  // pairs 10002/3, 10004/5, 10006/7 (10008/9 would leave the range)
  EXPECT_EQ(p.capacity(), 3u);
  std::set<int> got;
  for (int i = 0; i < 3; ++i) got.insert(*p.acquire());
  EXPECT_EQ(got, (std::set<int>{10002, 10004, 10006}));
  EXPECT_FALSE(p.acquire());
  p.release(10004);
  EXPECT_EQ(p.acquire(), 10004);
  p.release(10005);  // not a pair start: ignored
  EXPECT_EQ(p.in_use(), 3u);
}

TEST(PortPool, NextFitDoesNotReuseAFreedPairAtOnce) {
  PortPool p(20000, 20009);
  const auto a = *p.acquire();
  p.release(a);
  EXPECT_NE(*p.acquire(), a);
}

TEST(PortPool, EmptyRange) {
  PortPool p(30000, 30000);
  EXPECT_EQ(p.capacity(), 0u);
  EXPECT_FALSE(p.acquire());
}

}  // namespace
}  // namespace portier::media
