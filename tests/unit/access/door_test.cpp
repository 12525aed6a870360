#include "access/door.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <string>
#include <vector>

#include "access/timer_fake.hpp"
#include "unit/access/line_fake.hpp"

namespace portier::access {
namespace {

using namespace std::chrono_literals;
using test::FakeInputLine;
using test::FakeOutputLine;

struct Recorder : Door::Listener {
  std::vector<std::string> events;
  void on_door_unlocked(Door&, bool extended) override { events.push_back(extended ? "extended" : "unlocked"); }
  void on_door_relocked(Door&) override { events.push_back("relocked"); }
  void on_door_unlock_failed(Door&, const Error&) override { events.push_back("unlock_failed"); }
  void on_door_relock_failed(Door&, const Error&) override { events.push_back("relock_failed"); }
  void on_door_opened(Door&) override { events.push_back("opened"); }
  void on_door_closed(Door&) override { events.push_back("closed"); }
  void on_door_left_open(Door&) override { events.push_back("left_open"); }
  void on_door_forced_open(Door&) override { events.push_back("forced_open"); }
};

DoorConfig front(DoorMode mode = DoorMode::pulse) {
  DoorConfig c;
  c.id = "front";
  c.relay = "front.relay";
  c.contact = "front.contact";
  c.mode = mode;
  c.left_open_after = 30s;
  return c;
}

class DoorTest : public ::testing::Test {
 protected:
  std::unique_ptr<Door> make(DoorConfig c, bool with_contact = true) {
    auto d = std::make_unique<Door>(std::move(c), relay, with_contact ? &contact : nullptr, timers, clock, rec);
    return d;
  }
  void open(bool o) { contact.edge(o, clock.steady_now()); timers.advance(20ms); }

  FakeClock clock;
  FakeTimers timers{clock};
  FakeOutputLine relay{"front.relay"};
  FakeInputLine contact{"front.contact"};
  Recorder rec;
};

TEST_F(DoorTest, StartDrivesRelayLocked) {
  auto door = make(front());
  ASSERT_TRUE(door->start());
  EXPECT_FALSE(relay.active());
  EXPECT_EQ(relay.history, std::vector<bool>{false});
  EXPECT_EQ(door->snapshot().state(), "locked");
  EXPECT_EQ(door->snapshot().name, "front");  // name defaults to id
  EXPECT_EQ(door->snapshot().contact, ContactState::closed);
}

TEST_F(DoorTest, StartFailureNamesDoorAndLine) {
  relay.fail = true;
  auto door = make(front());
  auto st = door->start();
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().what().find("front"), std::string::npos);
  EXPECT_NE(st.error().what().find("front.relay"), std::string::npos);
  EXPECT_EQ(door->snapshot().state(), "fault");
}

TEST_F(DoorTest, PulseUnlocksThenRelocksAfterHold) {
  auto door = make(front());
  ASSERT_TRUE(door->start());
  auto info = door->unlock();
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->extended);
  ASSERT_TRUE(info->relock_at);
  EXPECT_EQ(*info->relock_at, clock.now() + 5s);
  EXPECT_TRUE(relay.active());
  timers.advance(4999ms);
  EXPECT_TRUE(relay.active());
  timers.advance(1ms);
  EXPECT_FALSE(relay.active());
  EXPECT_EQ(rec.events, (std::vector<std::string>{"unlocked", "relocked"}));
}

TEST_F(DoorTest, SecondUnlockExtendsHold) {
  auto door = make(front());
  ASSERT_TRUE(door->start());
  ASSERT_TRUE(door->unlock());
  timers.advance(3s);
  auto again = door->unlock();
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->extended);
  timers.advance(4s);  // 7 s after the first unlock, 4 s after the second
  EXPECT_TRUE(relay.active());
  timers.advance(1s);
  EXPECT_FALSE(relay.active());
  EXPECT_EQ(rec.events, (std::vector<std::string>{"unlocked", "extended", "relocked"}));
}

TEST_F(DoorTest, CustomHold) {
  auto c = front();
  c.hold = 1500ms;
  auto door = make(c);
  ASSERT_TRUE(door->start());
  ASSERT_TRUE(door->unlock());
  timers.advance(1499ms);
  EXPECT_TRUE(door->unlocked());
  timers.advance(1ms);
  EXPECT_FALSE(door->unlocked());
}

TEST_F(DoorTest, HoldModeStaysUntilLock) {
  auto door = make(front(DoorMode::hold));
  ASSERT_TRUE(door->start());
  auto info = door->unlock();
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->relock_at);
  timers.advance(1h);
  EXPECT_TRUE(relay.active());
  ASSERT_TRUE(door->lock());
  EXPECT_FALSE(relay.active());
  EXPECT_EQ(rec.events.back(), "relocked");
}

TEST_F(DoorTest, LockModeIsBistable) {
  auto door = make(front(DoorMode::lock), false);
  ASSERT_TRUE(door->start());
  ASSERT_TRUE(door->unlock());
  timers.advance(10min);
  EXPECT_TRUE(door->unlocked());
  ASSERT_TRUE(door->lock());
  EXPECT_FALSE(door->unlocked());
  ASSERT_TRUE(door->lock());  // locking a locked door: no second event
  EXPECT_EQ(rec.events, (std::vector<std::string>{"unlocked", "relocked"}));
}

TEST_F(DoorTest, UnlockFailureReportsAndStaysLocked) {
  auto door = make(front());
  ASSERT_TRUE(door->start());
  relay.fail = true;
  auto r = door->unlock();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(errc::io_error));
  EXPECT_NE(r.error().what().find("front.relay"), std::string::npos);
  EXPECT_FALSE(door->unlocked());
  EXPECT_EQ(rec.events, std::vector<std::string>{"unlock_failed"});
  EXPECT_EQ(timers.pending_count(), 0u);
}

TEST_F(DoorTest, RelockFailureRetriesUntilItWorks) {
  auto door = make(front());
  ASSERT_TRUE(door->start());
  ASSERT_TRUE(door->unlock());
  relay.fail = true;
  timers.advance(5s);
  EXPECT_TRUE(door->unlocked());
  timers.advance(3s);  // three retries, one event
  EXPECT_EQ(rec.events, (std::vector<std::string>{"unlocked", "relock_failed"}));
  relay.fail = false;
  timers.advance(1s);
  EXPECT_FALSE(door->unlocked());
  EXPECT_FALSE(relay.active());
  EXPECT_EQ(rec.events.back(), "relocked");
}

TEST_F(DoorTest, OpenWhileUnlockedIsNotForced) {
  auto door = make(front());
  ASSERT_TRUE(door->start());
  ASSERT_TRUE(door->unlock());
  open(true);
  EXPECT_EQ(door->snapshot().state(), "open");
  timers.advance(6s);  // relocks while open: still not forced
  open(false);
  EXPECT_EQ(rec.events, (std::vector<std::string>{"unlocked", "opened", "relocked", "closed"}));
}

TEST_F(DoorTest, ForcedOpenWhenContactOpensWhileLocked) {
  auto door = make(front());
  ASSERT_TRUE(door->start());
  open(true);
  EXPECT_TRUE(door->snapshot().forced_open);
  open(false);
  EXPECT_FALSE(door->snapshot().forced_open);
  EXPECT_EQ(rec.events, (std::vector<std::string>{"opened", "forced_open", "closed"}));
}

TEST_F(DoorTest, ForcedOpenAlarmCanBeDisabled) {
  auto c = front();
  c.forced_open_alarm = false;
  auto door = make(c);
  ASSERT_TRUE(door->start());
  open(true);
  EXPECT_EQ(rec.events, std::vector<std::string>{"opened"});
}

TEST_F(DoorTest, LeftOpenAlarmAfterConfiguredTime) {
  auto door = make(front());
  ASSERT_TRUE(door->start());
  ASSERT_TRUE(door->unlock());
  open(true);
  timers.advance(29s);
  EXPECT_FALSE(door->snapshot().left_open);
  timers.advance(1s);
  EXPECT_TRUE(door->snapshot().left_open);
  open(false);
  EXPECT_FALSE(door->snapshot().left_open);
  EXPECT_EQ(rec.events, (std::vector<std::string>{"unlocked", "opened", "relocked", "left_open", "closed"}));
}

TEST_F(DoorTest, ClosingBeforeTheLimitRaisesNoAlarm) {
  auto door = make(front());
  ASSERT_TRUE(door->start());
  ASSERT_TRUE(door->unlock());
  open(true);
  timers.advance(10s);
  open(false);
  timers.advance(1min);
  EXPECT_EQ(std::count(rec.events.begin(), rec.events.end(), "left_open"), 0);
}

TEST_F(DoorTest, LeftOpenCountsFromStartWhenAlreadyOpen) {
  contact.level = true;
  auto door = make(front());
  ASSERT_TRUE(door->start());
  EXPECT_EQ(door->snapshot().contact, ContactState::open);
  timers.advance(30s);
  EXPECT_EQ(rec.events, std::vector<std::string>{"left_open"});  // not forced: no edge was seen
}

TEST_F(DoorTest, ContactBounceIsFiltered) {
  auto door = make(front());
  ASSERT_TRUE(door->start());
  ASSERT_TRUE(door->unlock());
  const auto t = clock.steady_now();
  contact.edge(true, t);
  contact.edge(false, t);
  contact.edge(true, t);  // bounces settle open
  timers.advance(19ms);
  EXPECT_EQ(rec.events, std::vector<std::string>{"unlocked"});
  timers.advance(1ms);
  EXPECT_EQ(rec.events, (std::vector<std::string>{"unlocked", "opened"}));
  contact.edge(false, clock.steady_now());
  contact.edge(true, clock.steady_now());  // a blip that ends where it began: no event
  timers.advance(50ms);
  EXPECT_EQ(rec.events.size(), 2u);
}

TEST_F(DoorTest, ContactReadFailureAtStartNamesLine) {
  contact.fail_read = true;
  auto door = make(front());
  auto st = door->start();
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().what().find("front.contact"), std::string::npos);
  EXPECT_FALSE(relay.active());  // the relay was still driven locked
}

TEST_F(DoorTest, DestroyingDoorDetachesContactAndTimers) {
  {
    auto door = make(front());
    ASSERT_TRUE(door->start());
    ASSERT_TRUE(door->unlock());
    EXPECT_TRUE(contact.attached());
  }
  EXPECT_FALSE(contact.attached());
  timers.advance(10s);  // nothing fires into a dead door
  EXPECT_EQ(timers.pending_count(), 0u);
}

TEST_F(DoorTest, DumpMentionsState) {
  auto door = make(front());
  ASSERT_TRUE(door->start());
  ASSERT_TRUE(door->unlock());
  timers.advance(1s);
  const auto d = door->dump();
  EXPECT_NE(d.find("id=front"), std::string::npos);
  EXPECT_NE(d.find("unlocked=1"), std::string::npos);
  EXPECT_NE(d.find("relock_in_ms=4000"), std::string::npos);
}

}  // namespace
}  // namespace portier::access
