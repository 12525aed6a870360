// Guest passes in SQLite: every field round-trips, take_use stops at max_uses, revoke and purge.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "temp_db.hpp"

using portier::errc;
using portier::FakeClock;
using portier::store::sqlite::SqliteStore;
using portier::store::sqlite::test::temp_db;
namespace pa = portier::access;
using namespace std::chrono_literals;

namespace {
pa::GuestPass sample(const FakeClock& clock) {
  pa::GuestPass p;
  p.label = "Anna";
  p.doors = {"front", "back"};
  p.valid_from = clock.now();
  p.valid_until = clock.now() + std::chrono::days(2);
  p.schedule = {{0b0011111, 480, 1080}, {1 << 5, 600, 720}};
  p.max_uses = 1;
  p.pin_hash = pa::hash_pin("1234");
  p.note = "room 3";
  p.created_by = "1";
  p.created_by_name = "admin";
  p.created_at = clock.now();
  p.token_hash = "abc";
  return p;
}
}  // namespace

TEST(SqliteGuestPasses, RoundTripAndSurviveReopen) {
  FakeClock clock;
  const auto path = temp_db("passes.db");
  std::int64_t id = 0;
  {
    auto store = std::move(SqliteStore::open(path, clock).value());
    auto stored = store->passes().insert(sample(clock));
    ASSERT_TRUE(stored);
    id = stored->id;
    EXPECT_GT(id, 0);
  }
  auto store = std::move(SqliteStore::open(path, clock).value());
  auto found = store->passes().find_by_token_hash("abc");
  ASSERT_TRUE(found && *found);
  const auto& p = **found;
  auto expected = sample(clock);
  expected.id = id;
  EXPECT_EQ(p.label, expected.label);
  EXPECT_EQ(p.doors, expected.doors);
  EXPECT_EQ(p.schedule, expected.schedule);
  EXPECT_EQ(p.valid_until, expected.valid_until);
  EXPECT_EQ(p.max_uses, 1);
  EXPECT_TRUE(pa::verify_pin("1234", p.pin_hash));
  EXPECT_FALSE(p.revoked_at);
  EXPECT_FALSE(*store->passes().find_by_token_hash("other"));
}

TEST(SqliteGuestPasses, TakeUseIsBoundedAndRevokeStopsIt) {
  FakeClock clock;
  auto store = std::move(SqliteStore::open(temp_db("uses.db"), clock).value());
  auto& repo = store->passes();
  auto p = repo.insert(sample(clock)).value();
  EXPECT_TRUE(*repo.take_use(p.id, clock.now()));
  EXPECT_FALSE(*repo.take_use(p.id, clock.now()));
  ASSERT_TRUE(repo.return_use(p.id));
  auto unlimited = sample(clock);
  unlimited.max_uses.reset();
  unlimited.token_hash = "def";
  auto u = repo.insert(unlimited).value();
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(*repo.take_use(u.id, clock.now()));
  EXPECT_EQ(repo.find(u.id)->value().uses, 5);
  ASSERT_TRUE(repo.revoke(u.id, clock.now()));
  EXPECT_FALSE(*repo.take_use(u.id, clock.now()));
  EXPECT_EQ(repo.revoke(999, clock.now()).error().code, errc::not_found);
  // Edit, PIN state, token rotation.
  auto edited = repo.find(p.id)->value();
  edited.label = "Anna B";
  edited.max_uses = 3;
  ASSERT_TRUE(repo.update(edited));
  EXPECT_TRUE(*repo.take_use(p.id, clock.now()));
  ASSERT_TRUE(repo.set_pin_state(p.id, 3, clock.now() + 1h));
  ASSERT_TRUE(repo.set_token_hash(p.id, "rotated"));
  auto again = repo.find_by_token_hash("rotated")->value();
  EXPECT_EQ(again.label, "Anna B");
  EXPECT_EQ(again.pin_failures, 3);
  EXPECT_EQ(again.pin_locked_until, clock.now() + 1h);
}

TEST(SqliteGuestPasses, PurgeDeletesOnlyLongEndedPasses) {
  FakeClock clock;
  auto store = std::move(SqliteStore::open(temp_db("purge.db"), clock).value());
  auto& repo = store->passes();
  auto old = sample(clock);
  old.valid_until = clock.now() - std::chrono::days(31);
  old.valid_from = old.valid_until - 1h;
  ASSERT_TRUE(repo.insert(old));
  auto current = sample(clock);
  current.token_hash = "current";
  ASSERT_TRUE(repo.insert(current));
  EXPECT_EQ(*repo.purge_ended_before(clock.now() - std::chrono::days(30)), 1);
  ASSERT_EQ(repo.list()->size(), 1u);
  EXPECT_EQ(repo.list()->front().token_hash, "current");
}
