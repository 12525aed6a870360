#include "access/door_demo.hpp"

#include <gtest/gtest.h>

namespace portier::access {
namespace {

TEST(DoorDemoTest, FrontAndBackWithButtonAndContact) {
  auto doors = demo_door_configs();
  ASSERT_EQ(doors.size(), 2u);
  EXPECT_EQ(doors[0].id, "front");
  EXPECT_EQ(doors[0].relay, "front.relay");
  EXPECT_EQ(doors[0].button, "front.button");
  EXPECT_EQ(doors[0].contact, "front.contact");
  EXPECT_EQ(doors[1].id, "back");
  EXPECT_EQ(doors[1].relay, "back.relay");
  EXPECT_TRUE(validate_doors(doors));
}

}  // namespace
}  // namespace portier::access
