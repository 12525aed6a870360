#include "access/door_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "access/audit_repository_memory.hpp"
#include "access/audit_verifier.hpp"
#include "access/permission_repository_memory.hpp"
#include "access/timer_fake.hpp"
#include "base/error.hpp"
#include "unit/access/event_log_fake.hpp"
#include "unit/access/line_fake.hpp"

namespace portier::access {
namespace {

using namespace std::chrono_literals;
using test::EventLog;
using test::FakeInputLine;
using test::FakeOutputLine;

// A relay that notes how many audit rows existed whenever it was driven active.
class AuditWatchingRelay final : public OutputLine {
 public:
  AuditWatchingRelay(std::string name, const MemoryAuditRepository& repo) : inner_(std::move(name)), repo_(repo) {}
  Status set_active(bool active) override {
    if (active) rows_when_unlocked.push_back(repo_.rows().size());
    return inner_.set_active(active);
  }
  bool active() const override { return inner_.active(); }
  const std::string& name() const override { return inner_.name(); }
  FakeOutputLine& inner() { return inner_; }
  std::vector<std::size_t> rows_when_unlocked;

 private:
  FakeOutputLine inner_;
  const MemoryAuditRepository& repo_;
};

class DoorServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    perms.table().grant("ann", "front");
    DoorConfig front;
    front.id = "front";
    front.name = "Front door";
    front.relay = "front.relay";
    front.contact = "front.contact";
    front.button = "front.button";
    DoorConfig back;
    back.id = "back";
    back.relay = "back.relay";
    back.mode = DoorMode::hold;
    ASSERT_TRUE(service.add_door(front, front_relay, &front_contact, &front_button));
    ASSERT_TRUE(service.add_door(back, back_relay.inner(), nullptr, nullptr));
    ASSERT_TRUE(service.start());
  }

  Result<DoorService::UnlockReply> unlock(const std::string& door, const Actor& who) {
    std::optional<Result<DoorService::UnlockReply>> out;
    service.unlock(door, who, AccessMethod::web, [&](Result<DoorService::UnlockReply> r) { out = std::move(r); });
    EXPECT_TRUE(out.has_value());
    return std::move(*out);
  }
  std::vector<std::string> audit_results() const {
    std::vector<std::string> out;
    for (const auto& r : audit_repo.rows()) out.push_back(r.entry.action + ":" + std::string(to_string(r.entry.result)));
    return out;
  }

  FakeClock clock;
  FakeTimers timers{clock};
  MemoryAuditRepository audit_repo;
  AuditLog audit{audit_repo, clock};
  MemoryPermissionRepository perms;
  PermissionPolicy policy{perms};
  EventLog events;
  AuditWatchingRelay front_relay{"front.relay", audit_repo};
  FakeInputLine front_contact{"front.contact"};
  FakeInputLine front_button{"front.button"};
  AuditWatchingRelay back_relay{"back.relay", audit_repo};
  DoorService service{audit, policy, timers, clock, events};
  Actor ann = Actor::user("ann", "Ann");
};

TEST_F(DoorServiceTest, StartDrivesEveryRelayLocked) {
  EXPECT_FALSE(front_relay.active());
  EXPECT_FALSE(back_relay.active());
  EXPECT_EQ(back_relay.inner().history, std::vector<bool>{false});
  ASSERT_EQ(service.doors().size(), 2u);
  EXPECT_EQ(service.doors()[0].state(), "locked");
}

TEST_F(DoorServiceTest, UnlockAuditsBeforeTheRelayMovesThenRelocks) {
  auto r = unlock("front", ann);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->door, "front");
  EXPECT_EQ(r->audit_seq, 1u);
  ASSERT_TRUE(r->relock_at);
  EXPECT_EQ(*r->relock_at, clock.now() + 5s);
  EXPECT_EQ(front_relay.rows_when_unlocked, std::vector<std::size_t>{1});  // the row existed when the relay moved
  EXPECT_TRUE(front_relay.active());
  EXPECT_EQ(events.types(), (std::vector<std::string>{"unlock_requested", "unlocked"}));
  EXPECT_EQ(events.events[1].actor, "Ann");
  EXPECT_EQ(events.events[1].method, "web");
  timers.advance(5s);
  EXPECT_FALSE(front_relay.active());
  EXPECT_EQ(events.types().back(), "relocked");
  EXPECT_EQ(events.events.back().time, clock.now());
  const auto& row = audit_repo.rows().at(0);
  EXPECT_EQ(row.entry.actor_id, "ann");
  EXPECT_EQ(row.entry.actor_name, "Ann");
  EXPECT_EQ(row.entry.method, AccessMethod::web);
  EXPECT_EQ(row.entry.door, "front");
  EXPECT_EQ(row.entry.action, "unlock");
  EXPECT_EQ(row.entry.result, AuditResult::granted);
}

TEST_F(DoorServiceTest, NotPermittedIsAuditedAsDenied) {
  auto r = unlock("back", ann);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(errc::permission_denied));
  EXPECT_FALSE(back_relay.active());
  EXPECT_TRUE(back_relay.rows_when_unlocked.empty());
  EXPECT_EQ(audit_results(), std::vector<std::string>{"unlock:denied"});
  EXPECT_EQ(events.types(), std::vector<std::string>{"unlock_denied"});
}

TEST_F(DoorServiceTest, AdminOpensEveryDoor) {
  auto r = unlock("back", Actor::user("root", "Root", true));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->relock_at);  // hold mode
  EXPECT_TRUE(back_relay.active());
}

TEST_F(DoorServiceTest, UnknownDoorIsNotFoundAndNotAudited) {
  auto r = unlock("garage", ann);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(errc::not_found));
  EXPECT_TRUE(audit_repo.rows().empty());
  EXPECT_TRUE(events.events.empty());
}

TEST_F(DoorServiceTest, DriverFailureIsAuditedAsFailedWithClearError) {
  front_relay.inner().fail = true;
  auto r = unlock("front", ann);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(errc::io_error));
  EXPECT_NE(r.error().what().find("front.relay"), std::string::npos);
  EXPECT_EQ(audit_results(), (std::vector<std::string>{"unlock:granted", "unlock:failed"}));
  EXPECT_NE(audit_repo.rows()[1].entry.detail.find("front.relay"), std::string::npos);
  EXPECT_EQ(events.types(), (std::vector<std::string>{"unlock_requested", "unlock_failed"}));
  EXPECT_EQ(service.door("front")->state(), "fault");
}

TEST_F(DoorServiceTest, AuditFailureKeepsTheDoorLocked) {
  audit_repo.fail_appends(Error(errc::io_error, "disk full"));
  auto r = unlock("front", ann);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(errc::unavailable));
  EXPECT_NE(r.error().what().find("disk full"), std::string::npos);
  EXPECT_TRUE(front_relay.rows_when_unlocked.empty());
  EXPECT_FALSE(front_relay.active());
  EXPECT_EQ(events.types(), (std::vector<std::string>{"unlock_requested", "unlock_failed"}));
}

TEST_F(DoorServiceTest, PermissionStoreDownFailsClosed) {
  perms.fail_with(Error(errc::unavailable, "db gone"));
  auto r = unlock("front", ann);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(errc::unavailable));
  EXPECT_FALSE(front_relay.active());
  EXPECT_EQ(audit_results(), std::vector<std::string>{"unlock:failed"});
}

TEST_F(DoorServiceTest, SecondUnlockExtends) {
  ASSERT_TRUE(unlock("front", ann));
  timers.advance(4s);
  auto r = unlock("front", ann);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->extended);
  timers.advance(4s);
  EXPECT_TRUE(front_relay.active());
  timers.advance(1s);
  EXPECT_FALSE(front_relay.active());
  const auto types = events.types();
  EXPECT_EQ(std::count(types.begin(), types.end(), "relocked"), 1);
  EXPECT_EQ(audit_results(), (std::vector<std::string>{"unlock:granted", "unlock:granted"}));
}

TEST_F(DoorServiceTest, LockRelocksHoldDoor) {
  Actor root = Actor::user("root", "Root", true);
  ASSERT_TRUE(unlock("back", root));
  timers.advance(1h);
  EXPECT_TRUE(back_relay.active());
  std::optional<Result<DoorService::LockReply>> out;
  service.lock("back", root, AccessMethod::cli, [&](Result<DoorService::LockReply> r) { out = std::move(r); });
  ASSERT_TRUE(out && *out);
  EXPECT_FALSE(back_relay.active());
  EXPECT_EQ(audit_results(), (std::vector<std::string>{"unlock:granted", "lock:granted"}));
  EXPECT_EQ(events.types().back(), "relocked");
  EXPECT_EQ(events.events.back().method, "cli");
}

TEST_F(DoorServiceTest, ButtonRingsItsDoorAndNetworkPressesShareTheThrottle) {
  front_button.edge(true, clock.steady_now());
  ASSERT_EQ(events.types(), std::vector<std::string>{"ring"});
  EXPECT_EQ(events.events[0].door, "front");
  EXPECT_EQ(events.events[0].detail, "front.button");
  auto rang = service.ring("front", Actor::system("station"), AccessMethod::api);
  ASSERT_TRUE(rang);
  EXPECT_FALSE(*rang);
  clock.advance(15s);
  EXPECT_TRUE(*service.ring("front", Actor::system("station"), AccessMethod::api));
  auto buttons = service.call_buttons();
  ASSERT_EQ(buttons.size(), 1u);
  EXPECT_EQ(buttons[0].stats.presses, 3u);
  EXPECT_EQ(buttons[0].stats.throttled, 1u);
  EXPECT_FALSE(service.ring("garage", ann, AccessMethod::api));
}

TEST_F(DoorServiceTest, NetworkRingOnDoorWithoutButton) {
  EXPECT_TRUE(*service.ring("back", ann, AccessMethod::api));
  EXPECT_EQ(events.types(), std::vector<std::string>{"ring"});
  EXPECT_EQ(events.events[0].actor, "Ann");
  EXPECT_FALSE(service.call_buttons().back().has_line);
}

TEST_F(DoorServiceTest, ContactEventsAndForcedOpen) {
  front_contact.edge(true, clock.steady_now());
  timers.advance(20ms);
  EXPECT_EQ(events.types(), (std::vector<std::string>{"door_opened", "forced_open"}));
  EXPECT_EQ(service.door("front")->state(), "open");
  timers.advance(60s);
  EXPECT_EQ(events.types().back(), "door_left_open");
  front_contact.edge(false, clock.steady_now());
  timers.advance(20ms);
  EXPECT_EQ(events.types().back(), "door_closed");
}

TEST_F(DoorServiceTest, DoorsForShowsPermittedDoorsOnly) {
  auto mine = service.doors_for(ann);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].id, "front");
  EXPECT_EQ((*mine)[0].name, "Front door");
  EXPECT_EQ(service.doors_for(Actor::user("root", "Root", true))->size(), 2u);
}

TEST_F(DoorServiceTest, RejectsDuplicateDoorAndOrphanButton) {
  DoorConfig again;
  again.id = "front";
  again.relay = "x";
  FakeOutputLine x("x");
  EXPECT_EQ(service.add_door(again, x, nullptr, nullptr).error().code, make_error_code(errc::already_exists));
  EXPECT_EQ(service.add_call_button({"b", "garage"}, nullptr).error().code, make_error_code(errc::not_found));
}

TEST_F(DoorServiceTest, StartErrorNamesDoorAndLine) {
  FakeOutputLine broken("side.relay");
  broken.fail = true;
  DoorService other(audit, policy, timers, clock, events);
  DoorConfig side;
  side.id = "side";
  side.relay = "side.relay";
  ASSERT_TRUE(other.add_door(side, broken, nullptr, nullptr));
  auto st = other.start();
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().what().find("side"), std::string::npos);
  EXPECT_NE(st.error().what().find("side.relay"), std::string::npos);
}

TEST_F(DoorServiceTest, ChainVerifiesAfterAMixedBurst) {
  Actor root = Actor::user("root", "Root", true);
  for (int i = 0; i < 50; ++i) {
    (void)unlock(i % 3 ? "front" : "back", i % 2 ? ann : root);
    if (i == 20) front_relay.inner().fail = true;
    if (i == 30) front_relay.inner().fail = false;
    timers.advance(700ms);
  }
  auto report = verify_audit_log(audit_repo, 7);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok) << report->reason;
  EXPECT_GE(report->rows, 50u);
  EXPECT_NE(service.dump().find("DoorService{started=1 doors=2"), std::string::npos);
}

}  // namespace
}  // namespace portier::access

namespace portier::access {
namespace {

// A relay on a network device: set_active_async answers later, when the test says so (the device's ack).
class DeferredRelay final : public OutputLine {
 public:
  Status set_active(bool active) override {
    active_ = active;
    return {};
  }
  void set_active_async(bool active, std::function<void(Status)> done) override {
    if (!active) return done(set_active(false));
    pending = [this, done = std::move(done)](Status st) {
      if (st) active_ = true;
      done(st);
    };
  }
  bool active() const override { return active_; }
  const std::string& name() const override { return name_; }
  std::function<void(Status)> pending;

 private:
  bool active_ = false;
  std::string name_ = "mqtt:gate:1";
};

class DeferredDoorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DoorConfig gate;
    gate.id = "gate";
    gate.relay = "mqtt:gate:1";
    ASSERT_TRUE(service.add_door(gate, relay, nullptr, nullptr));
    ASSERT_TRUE(service.start());
  }
  FakeClock clock;
  FakeTimers timers{clock};
  MemoryAuditRepository audit_repo;
  AuditLog audit{audit_repo, clock};
  MemoryPermissionRepository perms;
  PermissionPolicy policy{perms};
  EventLog events;
  DeferredRelay relay;
  DoorService service{audit, policy, timers, clock, events};
};

TEST_F(DeferredDoorTest, UnlockAnswersOnlyWhenTheDeviceConfirms) {
  std::optional<Result<DoorService::UnlockReply>> out;
  {
    Actor admin = Actor::user("1", "Root", true);  // the caller's actor goes away before the ack
    service.unlock("gate", admin, AccessMethod::api, [&](Result<DoorService::UnlockReply> r) { out = std::move(r); });
  }
  EXPECT_FALSE(out.has_value());
  ASSERT_EQ(audit_repo.rows().size(), 1u);  // granted row written before the command was sent
  ASSERT_TRUE(relay.pending);
  relay.pending(Status{});
  ASSERT_TRUE(out.has_value());
  ASSERT_TRUE(*out);
  EXPECT_EQ((*out)->audit_seq, 1u);
  EXPECT_TRUE(relay.active());
  ASSERT_FALSE(events.events.empty());
  EXPECT_EQ(events.types().back(), "unlocked");
  EXPECT_EQ(events.events.back().actor, "Root");  // the event names who acted, even after the caller returned
  EXPECT_EQ(events.events.back().method, "api");
}

TEST_F(DeferredDoorTest, RefusedOrUnansweredCommandIsAuditedAsFailed) {
  std::optional<Result<DoorService::UnlockReply>> out;
  service.unlock("gate", Actor::user("1", "Root", true), AccessMethod::web,
                 [&](Result<DoorService::UnlockReply> r) { out = std::move(r); });
  relay.pending(Error(errc::timeout, "device 'gate' did not acknowledge within 3000 ms"));
  ASSERT_TRUE(out.has_value());
  ASSERT_FALSE(*out);
  EXPECT_EQ(out->error().code, make_error_code(errc::timeout));
  ASSERT_EQ(audit_repo.rows().size(), 2u);
  EXPECT_EQ(audit_repo.rows()[1].entry.result, AuditResult::failed);
  EXPECT_EQ(events.types().back(), "unlock_failed");
  EXPECT_FALSE(relay.active());
  EXPECT_TRUE(service.door("gate")->fault);
}

}  // namespace
}  // namespace portier::access
