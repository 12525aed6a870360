#include "device/line_registry.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

namespace portier::device {
namespace {

class LineRegistryTest : public ::testing::Test {
 protected:
  boost::asio::io_context io;
  FakeClock clock;
  sim::SimChip chip{clock};
};

TEST_F(LineRegistryTest, SimLinesAreCreatedOnTheChip) {
  LineRegistry reg(io, chip, {});
  auto relay = reg.output(*parse_line_spec("front.relay"), "door 'front' relay");
  ASSERT_TRUE(relay);
  auto button = reg.input(*parse_line_spec("front.button"), "door 'front' button");
  ASSERT_TRUE(button);
  ASSERT_TRUE((*relay)->set_active(true));
  EXPECT_TRUE(*chip.read("front.relay"));
  EXPECT_EQ((*button)->name(), "front.button");
  EXPECT_EQ(chip.lines().size(), 2u);
}

TEST_F(LineRegistryTest, ALineCanBeClaimedOnce) {
  LineRegistry reg(io, chip, {});
  ASSERT_TRUE(reg.output(*parse_line_spec("relay.1"), "door 'front' relay"));
  auto again = reg.output(*parse_line_spec("sim:relay.1"), "door 'back' relay");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, make_error_code(errc::conflict));
  EXPECT_NE(again.error().what().find("door 'front' relay"), std::string::npos);
  EXPECT_NE(again.error().what().find("door 'back' relay"), std::string::npos);
}

TEST_F(LineRegistryTest, MissingGpioChipNamesChipLineAndUser) {
  LineRegistry reg(io, chip, {});
  auto r = reg.output(*parse_line_spec("gpio:gpiochip-missing-7:17:active-low"), "door 'front' relay");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(errc::unavailable));
  const auto msg = r.error().what();
  EXPECT_NE(msg.find("gpiochip-missing-7"), std::string::npos) << msg;
  EXPECT_NE(msg.find("17"), std::string::npos) << msg;
  EXPECT_NE(msg.find("door 'front' relay"), std::string::npos) << msg;
  auto in = reg.input(*parse_line_spec("gpio:gpiochip-missing-7:18"), "door 'front' button");
  ASSERT_FALSE(in);
  EXPECT_NE(in.error().what().find("line 18"), std::string::npos) << in.error().what();
  EXPECT_TRUE(chip.lines().empty());
}

TEST_F(LineRegistryTest, FallbackToSimWhenConfiguredSo) {
  LineRegistry reg(io, chip, LineRegistry::Options{"portier", true});
  auto spec = *parse_line_spec("gpio:gpiochip-missing-7:17");
  spec.name = "front.relay";
  auto relay = reg.output(spec, "door 'front' relay");
  ASSERT_TRUE(relay) << relay.error().what();
  auto button = reg.input(*parse_line_spec("gpio:gpiochip-missing-7:27"), "door 'front' button");
  ASSERT_TRUE(button);
  EXPECT_EQ((*button)->name(), "gpiochip-missing-7:27");
  EXPECT_EQ(reg.fallbacks(), (std::vector<std::string>{"gpio:gpiochip-missing-7:17", "gpio:gpiochip-missing-7:27"}));
  EXPECT_TRUE(chip.line("front.relay"));
  EXPECT_NE(reg.dump().find("fallbacks=2"), std::string::npos);
}

}  // namespace
}  // namespace portier::device
