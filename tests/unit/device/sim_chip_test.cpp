#include "device/sim/sim_chip.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

namespace portier::device::sim {
namespace {

using namespace std::chrono_literals;

struct EdgeLog : access::InputLine::Listener {
  std::vector<access::LineEdge> edges;
  void on_line_edge(access::InputLine&, const access::LineEdge& e) override { edges.push_back(e); }
};

TEST(SimChipTest, ListsLinesSortedWithDirectionAndValue) {
  FakeClock clock;
  SimChip chip(clock);
  auto relay = chip.add_output("front.relay");
  ASSERT_TRUE(relay);
  ASSERT_TRUE(chip.add_input("front.button"));
  ASSERT_TRUE(chip.add_input("front.contact", true));
  ASSERT_TRUE((*relay)->set_active(true));
  auto lines = chip.lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].name, "front.button");
  EXPECT_EQ(to_string(lines[0].direction), "input");
  EXPECT_FALSE(lines[0].value);
  EXPECT_EQ(lines[1].name, "front.contact");
  EXPECT_TRUE(lines[1].value);
  EXPECT_EQ(lines[2].name, "front.relay");
  EXPECT_EQ(to_string(lines[2].direction), "output");
  EXPECT_TRUE(lines[2].value);
  EXPECT_TRUE(*chip.read("front.relay"));
}

TEST(SimChipTest, DriveInputReportsEdgesOnlyOnChange) {
  FakeClock clock;
  SimChip chip(clock);
  auto button = chip.add_input("front.button");
  ASSERT_TRUE(button);
  EdgeLog log;
  (*button)->set_listener(&log);
  ASSERT_TRUE(chip.drive("front.button", true));
  clock.advance(20ms);
  ASSERT_TRUE(chip.drive("front.button", true));  // no change, no edge
  ASSERT_TRUE(chip.drive("front.button", false));
  ASSERT_EQ(log.edges.size(), 2u);
  EXPECT_TRUE(log.edges[0].active);
  EXPECT_FALSE(log.edges[1].active);
  EXPECT_EQ(log.edges[1].when - log.edges[0].when, 20ms);
  EXPECT_EQ(chip.line("front.button")->changes, 2u);
}

TEST(SimChipTest, DriveRejectsOutputsAndUnknownLines) {
  FakeClock clock;
  SimChip chip(clock);
  ASSERT_TRUE(chip.add_output("front.relay"));
  EXPECT_EQ(chip.drive("front.relay", true).error().code, make_error_code(errc::invalid_argument));
  EXPECT_EQ(chip.drive("nope", true).error().code, make_error_code(errc::not_found));
  EXPECT_EQ(chip.read("nope").error().code, make_error_code(errc::not_found));
}

TEST(SimChipTest, RejectsDuplicateAndBadNames) {
  FakeClock clock;
  SimChip chip(clock);
  ASSERT_TRUE(chip.add_output("a"));
  EXPECT_EQ(chip.add_input("a").error().code, make_error_code(errc::already_exists));
  EXPECT_FALSE(chip.add_input(""));
  EXPECT_FALSE(chip.add_input("has space"));
  EXPECT_FALSE(chip.add_input("slash/no"));
}

TEST(SimChipTest, FaultsMakeOutputsFailAndInputsUnreadable) {
  FakeClock clock;
  SimChip chip(clock);
  auto relay = chip.add_output("r");
  auto contact = chip.add_input("c");
  ASSERT_TRUE(chip.set_fault("r", Error(errc::unavailable, "relay board unplugged")));
  ASSERT_TRUE(chip.set_fault("c", Error(errc::unavailable, "no contact")));
  auto st = (*relay)->set_active(true);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().what(), "relay board unplugged");
  EXPECT_FALSE((*contact)->read());
  EXPECT_TRUE(chip.line("r")->faulty);
  ASSERT_TRUE(chip.set_fault("r", std::nullopt));
  EXPECT_TRUE((*relay)->set_active(true));
  EXPECT_FALSE(chip.set_fault("zzz", std::nullopt));
  EXPECT_NE(chip.dump().find("SimOutputLine{name=r active=1"), std::string::npos);
}

}  // namespace
}  // namespace portier::device::sim
