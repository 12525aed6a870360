// This machine has no GPIO chips: these tests cover everything around the kernel (flag mapping, names, errors).
#include <gpiod.h>
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "device/gpio/gpio_chip.hpp"
#include "device/gpio/gpio_line_config.hpp"

namespace portier::device::gpio {
namespace {

TEST(GpioTest, MissingChipIsUnavailableAndNamed) {
  auto chip = GpioChip::open("gpiochip-that-is-not-there");
  ASSERT_FALSE(chip);
  EXPECT_EQ(chip.error().code, make_error_code(errc::unavailable));
  EXPECT_NE(chip.error().what().find("'gpiochip-that-is-not-there'"), std::string::npos) << chip.error().what();
  auto path = GpioChip::open("/dev/gpiochip99");
  ASSERT_FALSE(path);
  EXPECT_NE(path.error().what().find("/dev/gpiochip99"), std::string::npos);
  EXPECT_FALSE(GpioChip::open(""));
}

TEST(GpioTest, NotAChipIsRefused) {
  auto chip = GpioChip::open("/dev/null");
  ASSERT_FALSE(chip);
  EXPECT_NE(chip.error().what().find("/dev/null"), std::string::npos);
}

TEST(GpioTest, RequestFlags) {
  GpioLineConfig c;
  EXPECT_EQ(request_flags(c), 0);
  c.active_low = true;
  EXPECT_EQ(request_flags(c), GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW);
  c.bias = Bias::pull_up;
  EXPECT_EQ(request_flags(c), GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW | GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP);
  c.active_low = false;
  c.bias = Bias::pull_down;
  EXPECT_EQ(request_flags(c), GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN);
  c.bias = Bias::disabled;
  EXPECT_EQ(request_flags(c), GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE);
}

TEST(GpioTest, BiasNames) {
  for (auto b : {Bias::as_is, Bias::disabled, Bias::pull_up, Bias::pull_down}) {
    EXPECT_EQ(*parse_bias(to_string(b)), b);
  }
  EXPECT_EQ(*parse_bias("pull_up"), Bias::pull_up);
  EXPECT_EQ(*parse_bias("disable"), Bias::disabled);
  EXPECT_FALSE(parse_bias("sideways"));
}

TEST(GpioTest, Describe) {
  EXPECT_EQ(describe(GpioLineConfig{"gpiochip0", 17, false, Bias::as_is, ""}), "gpio chip 'gpiochip0' line 17");
}

}  // namespace
}  // namespace portier::device::gpio
