#include "device/line_spec.hpp"

#include <gtest/gtest.h>

namespace portier::device {
namespace {

TEST(LineSpecTest, SimForms) {
  auto a = parse_line_spec("front.relay");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->driver, LineSpec::Driver::sim);
  EXPECT_EQ(a->name, "front.relay");
  EXPECT_EQ(a->key(), "sim:front.relay");
  auto b = parse_line_spec("sim:back.button");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->name, "back.button");
  EXPECT_FALSE(parse_line_spec(""));
  EXPECT_FALSE(parse_line_spec("sim:"));
  EXPECT_FALSE(parse_line_spec("two words"));
}

TEST(LineSpecTest, GpioForms) {
  auto a = parse_line_spec("gpio:gpiochip0:17");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->driver, LineSpec::Driver::gpio);
  EXPECT_EQ(a->chip, "gpiochip0");
  EXPECT_EQ(a->offset, 17u);
  EXPECT_FALSE(a->active_low);
  EXPECT_EQ(a->bias, gpio::Bias::as_is);
  EXPECT_EQ(a->key(), "gpio:gpiochip0:17");

  auto b = parse_line_spec("gpio:pinctrl-bcm2711:27:active-low, pull-up");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->chip, "pinctrl-bcm2711");
  EXPECT_TRUE(b->active_low);
  EXPECT_EQ(b->bias, gpio::Bias::pull_up);

  auto c = parse_line_spec("gpio:0:4:pull-down");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->bias, gpio::Bias::pull_down);
  EXPECT_EQ(parse_line_spec("gpio:0:4:bias-disabled")->bias, gpio::Bias::disabled);
}

TEST(LineSpecTest, GpioErrorsSayWhy) {
  for (const char* bad : {"gpio:", "gpio:chip", "gpio::3", "gpio:chip:x", "gpio:chip:-1", "gpio:chip:99999",
                          "gpio:chip:3:sideways", "gpio:chip:3:a:b", "gpio:chip:3x"}) {
    auto r = parse_line_spec(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_NE(r.error().what().find(bad), std::string::npos) << r.error().what();
    }
  }
}

TEST(LineSpecTest, GpioConfigCarriesLabel) {
  auto s = *parse_line_spec("gpio:gpiochip0:5:active-low");
  s.name = "front.relay";
  auto c = s.gpio_config();
  EXPECT_EQ(c.chip, "gpiochip0");
  EXPECT_EQ(c.offset, 5u);
  EXPECT_TRUE(c.active_low);
  EXPECT_EQ(gpio::describe(c), "gpio chip 'gpiochip0' line 5 ('front.relay')");
}

}  // namespace
}  // namespace portier::device
