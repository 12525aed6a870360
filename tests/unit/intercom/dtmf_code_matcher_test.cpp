#include "intercom/dtmf_code_matcher.hpp"

#include <gtest/gtest.h>

namespace portier::intercom {
namespace {

using Outcome = DtmfCodeMatcher::Outcome;
using std::chrono::seconds;

Clock::SteadyTime at(int s) { return Clock::SteadyTime{} + seconds(s); }

TEST(DtmfCodeMatcher, DefaultPoundOpens) {
  DtmfCodeMatcher m("#", 5, seconds(300), seconds(5));
  EXPECT_EQ(m.feed('#', at(1)), Outcome::match);
  EXPECT_EQ(m.feed('#', at(2)), Outcome::match);
}

TEST(DtmfCodeMatcher, MultiDigitPrefixMatching) {
  DtmfCodeMatcher m("12#", 5, seconds(300), seconds(5));
  EXPECT_EQ(m.feed('1', at(1)), Outcome::partial);
  EXPECT_EQ(m.feed('2', at(1)), Outcome::partial);
  EXPECT_EQ(m.feed('#', at(2)), Outcome::match);
  EXPECT_EQ(m.failures(), 0);
}

TEST(DtmfCodeMatcher, WrongDigitIsAWrongCodeAndResets) {
  DtmfCodeMatcher m("12#", 5, seconds(300), seconds(5));
  EXPECT_EQ(m.feed('1', at(1)), Outcome::partial);
  EXPECT_EQ(m.feed('3', at(1)), Outcome::wrong);
  EXPECT_EQ(m.failures(), 1);
  EXPECT_EQ(m.feed('1', at(2)), Outcome::partial);
  EXPECT_EQ(m.feed('2', at(2)), Outcome::partial);
  EXPECT_EQ(m.feed('#', at(2)), Outcome::match);
  EXPECT_EQ(m.failures(), 0);  // a correct code clears the count
}

TEST(DtmfCodeMatcher, PauseForgetsAPartialCode) {
  DtmfCodeMatcher m("12", 5, seconds(300), seconds(5));
  EXPECT_EQ(m.feed('1', at(0)), Outcome::partial);
  EXPECT_EQ(m.feed('2', at(10)), Outcome::wrong);  // "2" alone is not a prefix of "12"
}

TEST(DtmfCodeMatcher, LockoutAfterMaxFailuresThenExpires) {
  DtmfCodeMatcher m("#", 3, seconds(60), seconds(5));
  EXPECT_EQ(m.feed('1', at(0)), Outcome::wrong);
  EXPECT_EQ(m.feed('2', at(1)), Outcome::wrong);
  EXPECT_EQ(m.feed('3', at(2)), Outcome::wrong);
  EXPECT_TRUE(m.locked(at(3)));
  EXPECT_EQ(m.feed('#', at(3)), Outcome::locked);  // even the right code is refused while locked
  EXPECT_EQ(m.feed('#', at(63)), Outcome::match);
  EXPECT_EQ(m.failures(), 0);
}

TEST(DtmfCodeMatcher, EmptyCodeFallsBackToPound) {
  DtmfCodeMatcher m("", 5, seconds(60), seconds(5));
  EXPECT_EQ(m.code(), "#");
  EXPECT_EQ(m.feed('#', at(0)), Outcome::match);
}

}  // namespace
}  // namespace portier::intercom
