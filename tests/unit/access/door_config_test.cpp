#include "access/door_config.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

namespace portier::access {
namespace {

using namespace std::chrono_literals;

DoorConfig door(std::string id, std::string relay) {
  DoorConfig c;
  c.id = std::move(id);
  c.relay = std::move(relay);
  return c;
}

TEST(DoorConfigTest, Defaults) {
  DoorConfig c;
  EXPECT_EQ(c.mode, DoorMode::pulse);
  EXPECT_EQ(c.hold, 5s);
  EXPECT_EQ(c.button_bouncetime, 2ms);
  EXPECT_EQ(c.page_throttle, 15s);
}

TEST(DoorConfigTest, ModeRoundTrip) {
  for (auto m : {DoorMode::pulse, DoorMode::hold, DoorMode::lock}) {
    auto parsed = parse_door_mode(to_string(m));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, m);
  }
  EXPECT_FALSE(parse_door_mode("toggle"));
}

TEST(DoorConfigTest, RejectsBadDoor) {
  EXPECT_TRUE(validate(door("front", "front.relay")));
  EXPECT_FALSE(validate(door("", "x")));
  EXPECT_FALSE(validate(door("front door", "x")));
  EXPECT_FALSE(validate(door("front", "")));
  auto c = door("front", "r");
  c.hold = 0ms;
  EXPECT_FALSE(validate(c));
  c.mode = DoorMode::hold;  // hold is ignored outside pulse mode
  EXPECT_TRUE(validate(c));
  c = door("front", "r");
  c.button_bouncetime = 5s;
  auto st = validate(c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().what().find("bouncetime"), std::string::npos);
}

TEST(DoorConfigTest, RejectsTwoDoorsOnOneLine) {
  auto a = door("front", "relay.1");
  auto b = door("back", "relay.1");
  auto st = validate_doors({a, b});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, make_error_code(errc::conflict));
  EXPECT_NE(st.error().what().find("relay.1"), std::string::npos);
  EXPECT_NE(st.error().what().find("front"), std::string::npos);
  EXPECT_NE(st.error().what().find("back"), std::string::npos);

  b.relay = "relay.2";
  b.button = "relay.1";  // a button on another door's relay line
  EXPECT_FALSE(validate_doors({a, b}));
  b.button = "back.button";
  EXPECT_TRUE(validate_doors({a, b}));
}

TEST(DoorConfigTest, RejectsDuplicateIds) {
  auto st = validate_doors({door("front", "a"), door("front", "b")});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, make_error_code(errc::already_exists));
}

}  // namespace
}  // namespace portier::access
