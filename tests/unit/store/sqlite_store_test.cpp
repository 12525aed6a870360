#include "store/sqlite/sqlite_store.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "store/sqlite/migrations.hpp"

using portier::errc;
using portier::FakeClock;
using portier::access::Role;
using portier::store::sqlite::SqliteStore;

namespace {
std::filesystem::path temp_db(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / ("portier-store-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  std::filesystem::remove(p);
  return p;
}
}  // namespace

TEST(SqliteStore, UsersRoundTripAndPersist) {
  FakeClock clock;
  auto path = temp_db("users.db");
  {
    auto store = SqliteStore::open(path, clock);
    ASSERT_TRUE(store.ok()) << store.error().what();
    auto& users = (*store)->users();
    EXPECT_EQ(users.count(), 0);
    auto u = users.create("alice", Role::admin, "h1");
    ASSERT_TRUE(u.ok());
    auto dup = users.create("alice", Role::resident, "h2");
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, errc::already_exists);
    ASSERT_TRUE(users.update_password(u->id, "h3").ok());
    EXPECT_EQ(users.update_password(999, "x").error().code, errc::not_found);
  }
  auto store = SqliteStore::open(path, clock);  // reopen: migrations are not re-applied, data stays
  ASSERT_TRUE(store.ok());
  auto alice = (*store)->users().find_by_name("alice");
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->password_hash, "h3");
  EXPECT_EQ(alice->role, Role::admin);
  EXPECT_EQ((*store)->schema_version(), portier::store::sqlite::migrations().back().version);
}

TEST(SqliteStore, CreateFirstOnlyWhenEmpty) {
  FakeClock clock;
  auto store = SqliteStore::open(temp_db("first.db"), clock);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->users().create_first("root", Role::admin, "h").ok());
  auto again = (*store)->users().create_first("other", Role::admin, "h");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, errc::conflict);
  EXPECT_EQ((*store)->users().count(), 1);
}

TEST(SqliteStore, TokensCascadeWithUser) {
  FakeClock clock;
  auto store = SqliteStore::open(temp_db("tokens.db"), clock);
  ASSERT_TRUE(store.ok());
  auto u = (*store)->users().create("bob", Role::resident, "h");
  auto t = (*store)->tokens().create(u->id, "script", "abc");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE((*store)->tokens().find_by_hash("abc"));
  EXPECT_EQ((*store)->tokens().revoke(u->id + 1, t->id).error().code, errc::not_found);
  ASSERT_TRUE((*store)->users().remove(u->id).ok());
  EXPECT_FALSE((*store)->tokens().find_by_hash("abc"));
}

TEST(SqliteStore, RefusesNewerSchema) {
  FakeClock clock;
  auto path = temp_db("newer.db");
  {
    auto store = SqliteStore::open(path, clock);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->database().exec("INSERT INTO schema_version (version, name) VALUES (9999, 'future')").ok());
  }
  auto store = SqliteStore::open(path, clock);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().what().find("newer"), std::string::npos);
}

TEST(SqliteDatabase, StatementsAreCachedResetAndNestedUsesGetTheirOwn) {
  using portier::store::sqlite::Database;
  auto db = std::move(Database::open(temp_db("cache.db")).value());
  ASSERT_TRUE(db->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)").ok());
  for (int k = 1; k <= 3; ++k) {
    auto ins = db->prepare("INSERT INTO t (k, v) VALUES (?, ?)");
    ASSERT_TRUE(ins);
    ASSERT_TRUE(ins->bind(1, std::int64_t{k}).bind(2, "v" + std::to_string(k)).run().ok());
  }
  EXPECT_EQ(db->cache_hits(), 2u);  // compiled once, reused twice
  const std::string select = "SELECT v FROM t WHERE k >= ? ORDER BY k";
  {
    auto outer = db->prepare(select);
    ASSERT_TRUE(outer);
    outer->bind(1, std::int64_t{1});
    ASSERT_TRUE(outer->step());
    EXPECT_EQ(outer->column_text(0), "v1");
    {
      auto inner = db->prepare(select);  // same text while the outer one is mid-way: a statement of its own
      ASSERT_TRUE(inner);
      inner->bind(1, std::int64_t{3});
      ASSERT_TRUE(inner->step());
      EXPECT_EQ(inner->column_text(0), "v3");
    }
    ASSERT_TRUE(outer->step());
    EXPECT_EQ(outer->column_text(0), "v2");  // the outer walk was not disturbed
  }
  // The cached statement comes back reset with no bindings left over: an unbound ? is NULL, which matches nothing.
  auto again = db->prepare(select);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->step());
  EXPECT_TRUE(again->status().ok());
  EXPECT_EQ(db->cached_statements(), 2u);
  auto bad = db->prepare("SELECT nope FROM nowhere");
  EXPECT_FALSE(bad);
  EXPECT_EQ(db->cached_statements(), 2u);
}
