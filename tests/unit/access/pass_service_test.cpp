// PassService with in-memory repositories and fake lines: the guest open flow, use counting, PIN lockout, scoping
// of hosts, and the audit trail.
#include "access/pass_service.hpp"

#include <gtest/gtest.h>

#include "access/audit_repository_memory.hpp"
#include "access/guest_pass_repository_memory.hpp"
#include "access/permission_repository_memory.hpp"
#include "access/timer_fake.hpp"
#include "base/error.hpp"
#include "base/random.hpp"
#include "unit/access/event_log_fake.hpp"
#include "unit/access/line_fake.hpp"

namespace portier::access {
namespace {

using namespace std::chrono_literals;

class PassServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    perms.table().grant("ann", "front");
    DoorConfig front;
    front.id = "front";
    front.name = "Front door";
    front.relay = "front.relay";
    DoorConfig back;
    back.id = "back";
    back.relay = "back.relay";
    ASSERT_TRUE(doors.add_door(front, front_relay, nullptr, nullptr));
    ASSERT_TRUE(doors.add_door(back, back_relay, nullptr, nullptr));
    ASSERT_TRUE(doors.start());
  }

  PassService::Created create(PassDraft d, const Actor& host) {
    auto c = passes.create(host, AccessMethod::web, d);
    EXPECT_TRUE(c) << (c ? "" : c.error().what());
    return *c;
  }
  PassDraft draft(std::vector<std::string> door_ids = {"front"}) {
    PassDraft d;
    d.label = "Guest";
    d.doors = std::move(door_ids);
    return d;
  }
  PassService::OpenResult open(const std::string& token, const std::string& door = "front",
                               const std::string& pin = "", const std::string& ip = "10.0.0.1") {
    std::optional<PassService::OpenResult> out;
    passes.open(token, door, pin, ip, [&](PassService::OpenResult r) { out = std::move(r); });
    EXPECT_TRUE(out.has_value());
    return *out;
  }
  int granted_rows() const {
    int n = 0;
    for (const auto& r : audit_repo.rows())
      n += r.entry.actor_kind == ActorKind::pass && r.entry.result == AuditResult::granted;
    return n;
  }

  FakeClock clock;
  FakeTimers timers{clock};
  MemoryAuditRepository audit_repo;
  AuditLog audit{audit_repo, clock};
  MemoryPermissionRepository perms;
  PermissionPolicy policy{perms};
  test::EventLog events;
  test::FakeOutputLine front_relay{"front.relay"};
  test::FakeOutputLine back_relay{"back.relay"};
  DoorService doors{audit, policy, timers, clock, events};
  MemoryGuestPassRepository repo;
  SiteTimeZone zone = SiteTimeZone::utc();
  PassService passes{repo, doors, audit, zone, clock, events, PassOptions{}};
  Actor admin = Actor::user("1", "Admin", true);
  Actor ann = Actor::user("ann", "Ann");
  Actor bob = Actor::user("bob", "Bob");
};

TEST_F(PassServiceTest, DefaultsAndHashedToken) {
  auto c = create(draft(), admin);
  EXPECT_EQ(c.token.size(), 43u);  // 256 bits, base64url
  EXPECT_EQ(c.pass.valid_from, clock.now());
  EXPECT_EQ(c.pass.valid_until, clock.now() + std::chrono::days(7));
  EXPECT_EQ(c.pass.token_hash, sha256_hex(c.token));
  EXPECT_EQ(repo.list()->front().token_hash.find(c.token), std::string::npos);
  EXPECT_EQ(events.count(EventType::pass_created), 1);
  EXPECT_EQ(audit_repo.rows().back().entry.action, "pass_create");
}

TEST_F(PassServiceTest, OpensUntilUsedUpAndViewNeverOpens) {
  auto d = draft();
  d.set_max_uses = true;
  d.max_uses = 2;
  auto c = create(d, admin);
  auto v = passes.view(c.token, "10.0.0.1");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->denial, PassDenial::none);
  EXPECT_FALSE(front_relay.active());
  EXPECT_EQ(open(c.token).remaining_uses, 1);
  EXPECT_TRUE(front_relay.active());
  EXPECT_EQ(open(c.token).remaining_uses, 0);
  EXPECT_EQ(open(c.token).denial, PassDenial::exhausted);
  EXPECT_EQ(granted_rows(), 2);
  EXPECT_EQ(events.count(EventType::pass_used), 2);
  EXPECT_EQ(events.count(EventType::pass_denied), 1);
  EXPECT_EQ(passes.status(repo.find(c.pass.id)->value()), PassStatus::exhausted);
}

TEST_F(PassServiceTest, AFailedUnlockGivesTheUseBack) {
  auto d = draft();
  d.set_max_uses = true;
  d.max_uses = 1;
  auto c = create(d, admin);
  front_relay.fail = true;
  auto r = open(c.token);
  front_relay.fail = false;
  ASSERT_TRUE(r.error);
  EXPECT_EQ(repo.find(c.pass.id)->value().uses, 0);
  EXPECT_EQ(open(c.token).denial, PassDenial::none);
}

TEST_F(PassServiceTest, WindowScheduleAndDoorScope) {
  auto d = draft();
  d.valid_from = clock.now() + 1h;
  d.valid_until = clock.now() + 2h;
  auto c = create(d, admin);
  EXPECT_EQ(open(c.token).denial, PassDenial::not_yet_valid);
  clock.advance(1h);
  EXPECT_EQ(open(c.token, "back").denial, PassDenial::door_not_allowed);
  EXPECT_EQ(open(c.token, "nope").denial, PassDenial::door_not_allowed);
  EXPECT_EQ(open(c.token).denial, PassDenial::none);
  clock.advance(1h);
  EXPECT_EQ(open(c.token).denial, PassDenial::expired);
  EXPECT_FALSE(back_relay.active());
}

TEST_F(PassServiceTest, PinLockoutAfterFiveFailures) {
  auto d = draft();
  d.pin = "2468";
  auto c = create(d, admin);
  EXPECT_EQ(open(c.token).denial, PassDenial::pin_required);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(open(c.token, "front", "1111").denial, PassDenial::wrong_pin);
  auto locked = open(c.token, "front", "1111");
  EXPECT_EQ(locked.denial, PassDenial::pin_locked);
  EXPECT_EQ(locked.retry_after, 900);
  EXPECT_EQ(open(c.token, "front", "2468").denial, PassDenial::pin_locked);
  clock.advance(15min);
  EXPECT_EQ(open(c.token, "front", "2468").denial, PassDenial::none);
  EXPECT_EQ(repo.find(c.pass.id)->value().pin_failures, 0);
  EXPECT_FALSE(repo.find(c.pass.id)->value().pin_locked_until.has_value());
}

TEST_F(PassServiceTest, RevokedAndUnknownAnswerTheSame) {
  auto c = create(draft(), admin);
  ASSERT_TRUE(passes.revoke(admin, AccessMethod::web, c.pass.id));
  auto revoked = open(c.token);
  auto unknown = open("x" + c.token.substr(1));
  EXPECT_EQ(revoked.denial, PassDenial::invalid);
  EXPECT_EQ(unknown.denial, PassDenial::invalid);
  EXPECT_FALSE(revoked.pass.has_value());
  EXPECT_FALSE(unknown.pass.has_value());
  auto v1 = passes.view(c.token, "1.1.1.1");
  auto v2 = passes.view("nothing", "1.1.1.1");
  EXPECT_EQ(v1->denial, PassDenial::invalid);
  EXPECT_FALSE(v1->pass.has_value());
  EXPECT_EQ(v2->denial, PassDenial::invalid);
  EXPECT_EQ(events.count(EventType::pass_revoked), 1);
}

TEST_F(PassServiceTest, RateLimitsPerIpAndPerToken) {
  auto c = create(draft(), admin);
  int limited = 0;
  for (int i = 0; i < 40; ++i) limited += open("bad" + std::to_string(i)).denial == PassDenial::rate_limited;
  EXPECT_EQ(limited, 30);  // burst 10
  // Another IP is not affected by the first, but one link is limited across IPs.
  int per_token = 0;
  for (int i = 0; i < 15; ++i)
    per_token += passes.view(c.token, "10.1.0." + std::to_string(i))->denial == PassDenial::rate_limited;
  EXPECT_EQ(per_token, 5);
}

TEST_F(PassServiceTest, HostsAreScopedToTheirDoorsAndPasses) {
  auto for_back = passes.create(ann, AccessMethod::web, draft({"back"}));
  ASSERT_FALSE(for_back);
  EXPECT_EQ(for_back.error().code, make_error_code(errc::permission_denied));
  PassDraft only_door;
  only_door.label = "Cleaner";
  auto mine = create(only_door, ann);  // Ann's only door is the default
  EXPECT_EQ(mine.pass.doors, std::vector<std::string>{"front"});
  auto theirs = create(draft({"front", "back"}), admin);
  EXPECT_EQ(passes.list(ann)->size(), 1u);
  EXPECT_EQ(passes.list(admin)->size(), 2u);
  EXPECT_FALSE(passes.revoke(ann, AccessMethod::web, theirs.pass.id));
  EXPECT_FALSE(passes.get(bob, mine.pass.id));
  EXPECT_TRUE(passes.revoke(ann, AccessMethod::web, mine.pass.id));
}

TEST_F(PassServiceTest, RejectsBadDrafts) {
  auto expect_invalid = [&](PassDraft d) {
    auto r = passes.create(admin, AccessMethod::web, d);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().code, make_error_code(errc::ok));
  };
  auto d = draft();
  d.label = "  ";
  expect_invalid(d);
  d = draft({});
  expect_invalid(d);
  d = draft();
  d.valid_until = clock.now() - 1s;
  expect_invalid(d);
  d = draft();
  d.set_max_uses = true;
  d.max_uses = 0;
  expect_invalid(d);
  d = draft();
  d.pin = "12";
  expect_invalid(d);
  d = draft();
  d.schedule = std::vector<ScheduleWindow>{{0, 0, 60}};
  expect_invalid(d);
  EXPECT_TRUE(repo.list()->empty());
}

TEST_F(PassServiceTest, NewLinkAndPurge) {
  auto c = create(draft(), admin);
  auto fresh = passes.new_link(admin, AccessMethod::web, c.pass.id);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(open(c.token).denial, PassDenial::invalid);
  EXPECT_EQ(open(fresh->token).denial, PassDenial::none);
  const auto rows = audit_repo.rows().size();
  clock.advance(std::chrono::days(7 + 29));
  EXPECT_EQ(*passes.purge(), 0);
  clock.advance(std::chrono::days(2));
  EXPECT_EQ(*passes.purge(), 1);
  EXPECT_TRUE(repo.list()->empty());
  EXPECT_EQ(audit_repo.rows().size(), rows);  // audit rows stay
}

TEST_F(PassServiceTest, StoreDownIsAnErrorNotAnOpenDoor) {
  auto c = create(draft(), admin);
  repo.fail = true;
  auto r = open(c.token);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, make_error_code(errc::unavailable));
  EXPECT_FALSE(front_relay.active());
  EXPECT_FALSE(passes.view(c.token, "10.0.0.9"));
}

}  // namespace
}  // namespace portier::access
