// The doors domain on the simulated chip: what the app's demo wires together, minus HTTP.
#include <gtest/gtest.h>

#include <algorithm>

#include "base/error.hpp"

#include "access/audit_log.hpp"
#include "access/audit_repository_memory.hpp"
#include "access/audit_verifier.hpp"
#include "access/door_service.hpp"
#include "access/permission_repository_memory.hpp"
#include "access/timer_fake.hpp"
#include "access/door_demo.hpp"
#include "device/asio_timer_factory.hpp"
#include "device/door_lines.hpp"
#include "device/line_registry.hpp"
#include "unit/access/event_log_fake.hpp"

namespace portier::device {
namespace {

using namespace std::chrono_literals;
using access::Event;
using access::EventType;

using Events = access::test::EventLog;

// The demo's wiring with a chosen clock and timers.
template <class ClockT, class TimersT>
struct Rig {
  explicit Rig(ClockT& clock, TimersT& timers)
      : chip(clock), reg(io, chip, {}), audit(audit_repo, clock), policy(perms),
        service(audit, policy, timers, clock, events) {}
  boost::asio::io_context io;
  sim::SimChip chip;
  LineRegistry reg;
  access::MemoryAuditRepository audit_repo;
  access::AuditLog audit;
  access::MemoryPermissionRepository perms;
  access::PermissionPolicy policy;
  Events events;
  access::DoorService service;
};

TEST(SimDoorsTest, BurstOnTheSimulatedButtonAndUnlockWithFakeTime) {
  FakeClock clock;
  access::FakeTimers timers(clock);
  Rig rig(clock, timers);
  auto& [io, chip, reg, audit_repo, audit, perms, policy, events, service] = rig;
  ASSERT_TRUE(add_doors(reg, service, access::demo_door_configs()));
  ASSERT_TRUE(service.start());
  EXPECT_EQ(chip.lines().size(), 6u);
  EXPECT_EQ(service.doors()[1].name, "Back door");

  for (int i = 0; i < 100; ++i) {  // 100 presses 20 ms apart
    ASSERT_TRUE(chip.drive("front.button", true));
    clock.advance(10ms);
    ASSERT_TRUE(chip.drive("front.button", false));
    clock.advance(10ms);
  }
  EXPECT_EQ(events.count(EventType::ring), 1);
  const auto buttons = service.call_buttons();
  EXPECT_EQ(buttons[0].stats.presses, 100u);
  EXPECT_EQ(buttons[0].stats.throttled, 99u);

  perms.table().grant("ann", "front");
  bool acked = false;
  service.unlock("front", access::Actor::user("ann", "Ann"), access::AccessMethod::api,
                 [&](Result<access::DoorService::UnlockReply> r) {
                   ASSERT_TRUE(r);
                   EXPECT_TRUE(*chip.read("front.relay"));  // answered after the relay moved
                   acked = true;
                 });
  EXPECT_TRUE(acked);
  ASSERT_TRUE(chip.drive("front.contact", true));
  timers.advance(5s);
  EXPECT_FALSE(*chip.read("front.relay"));
  EXPECT_EQ(events.count(EventType::relocked), 1);
  EXPECT_EQ(events.count(EventType::door_opened), 1);
  EXPECT_EQ(events.count(EventType::forced_open), 0);

  ASSERT_TRUE(chip.set_fault("back.relay", Error(errc::unavailable, "relay board unplugged")));
  service.unlock("back", access::Actor::user("root", "Root", true), access::AccessMethod::web,
                 [&](Result<access::DoorService::UnlockReply> r) {
                   ASSERT_FALSE(r);
                   EXPECT_NE(r.error().what().find("back.relay"), std::string::npos);
                   EXPECT_NE(r.error().what().find("unplugged"), std::string::npos);
                 });
  EXPECT_TRUE(verify_audit_log(audit_repo)->ok);
  EXPECT_EQ(audit_repo.rows().size(), 3u);  // granted front, granted back, failed back
}

TEST(SimDoorsTest, PulseTimingOnARealIoContext) {
  SystemClock clock;
  boost::asio::io_context io;
  AsioTimerFactory timers(io);
  Rig rig(clock, timers);
  auto& [unused_io, chip, reg, audit_repo, audit, perms, policy, events, service] = rig;
  auto doors = access::demo_door_configs();
  doors[0].hold = 40ms;
  ASSERT_TRUE(add_doors(reg, service, doors));
  ASSERT_TRUE(service.start());

  const auto start = clock.steady_now();
  service.unlock("front", access::Actor::system("test"), access::AccessMethod::cli,
                 [](Result<access::DoorService::UnlockReply> r) { ASSERT_TRUE(r); });
  EXPECT_TRUE(*chip.read("front.relay"));
  io.run_for(300ms);
  EXPECT_FALSE(*chip.read("front.relay"));
  ASSERT_EQ(events.count(EventType::relocked), 1);
  const auto& relocked = events.events.back();
  EXPECT_EQ(relocked.type, EventType::relocked);
  const auto elapsed = relocked.time - events.events[1].time;  // unlocked -> relocked
  EXPECT_GE(elapsed, 40ms);
  EXPECT_LT(elapsed, 200ms);
  EXPECT_LT(clock.steady_now() - start, 1s);
}

TEST(SimDoorsTest, AddDoorsReportsBadWiringClearly) {
  FakeClock clock;
  access::FakeTimers timers(clock);
  Rig rig(clock, timers);
  auto doors = access::demo_door_configs();
  doors[1].relay = "front.relay";
  auto st = add_doors(rig.reg, rig.service, doors);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, make_error_code(errc::conflict));
  EXPECT_NE(st.error().what().find("front.relay"), std::string::npos);

  access::DoorConfig side;
  side.id = "side";
  side.relay = "gpio:gpiochip-missing-3:12:active-low";
  st = add_doors(rig.reg, rig.service, {side});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, make_error_code(errc::unavailable));
  const auto msg = st.error().what();
  EXPECT_NE(msg.find("door 'side' relay"), std::string::npos) << msg;
  EXPECT_NE(msg.find("gpiochip-missing-3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 12"), std::string::npos) << msg;

  side.relay = "side.relay";
  side.button = "gpio:chip:notanumber";
  st = add_doors(rig.reg, rig.service, {side});
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().what().find("door 'side' button"), std::string::npos) << st.error().what();
}

}  // namespace
}  // namespace portier::device
