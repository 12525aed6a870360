#include "store/sqlite/sqlite_permission_repository.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "unit/store/temp_db.hpp"

namespace portier::store::sqlite {
namespace {

using access::PermissionGrant;
using Doors = std::set<std::string>;

TEST(SqlitePermissionRepository, GrantAndRevokeAreIdempotent) {
  FakeClock clock;
  auto store = SqliteStore::open(test::temp_db("perm-idem.db"), clock);
  ASSERT_TRUE(store.ok()) << store.error().what();
  auto& perms = (*store)->permissions();
  ASSERT_TRUE(perms.grant("7", "front").ok());
  ASSERT_TRUE(perms.grant("7", "front").ok());
  ASSERT_TRUE(perms.grant("7", "back").ok());
  EXPECT_EQ(*perms.doors_for_user("7"), (Doors{"back", "front"}));
  ASSERT_TRUE(perms.revoke("7", "front").ok());
  ASSERT_TRUE(perms.revoke("7", "front").ok());
  ASSERT_TRUE(perms.revoke("8", "garage").ok());  // never granted
  EXPECT_EQ(*perms.doors_for_user("7"), (Doors{"back"}));
  EXPECT_TRUE(perms.doors_for_user("nobody")->empty());
  EXPECT_EQ(perms.grant("", "front").error().code, errc::invalid_argument);
}

TEST(SqlitePermissionRepository, ListIsSortedAndSurvivesReopen) {
  FakeClock clock;
  const auto path = test::temp_db("perm-list.db");
  {
    auto store = SqliteStore::open(path, clock);
    ASSERT_TRUE(store.ok());
    auto& perms = (*store)->permissions();
    const std::vector<PermissionGrant> grants = {{"2", "front"}, {"10", "back"}, {"2", "back"}, {"10", "garage"}};
    for (const auto& g : grants) ASSERT_TRUE(perms.grant(g.user_id, g.door_id).ok());
  }
  auto store = SqliteStore::open(path, clock);
  ASSERT_TRUE(store.ok());
  auto list = (*store)->permissions().list();
  ASSERT_TRUE(list.ok());
  const std::vector<PermissionGrant> expected = {
      {"10", "back"}, {"10", "garage"}, {"2", "back"}, {"2", "front"}};  // byte order, like PermissionTable
  EXPECT_EQ(*list, expected);
}

TEST(SqlitePermissionRepository, DeletingAUserDropsItsGrants) {
  FakeClock clock;
  auto store = SqliteStore::open(test::temp_db("perm-user.db"), clock);
  ASSERT_TRUE(store.ok());
  auto& s = **store;
  auto ann = s.users().create("ann", access::Role::resident, "h");
  auto bob = s.users().create("bob", access::Role::resident, "h");
  ASSERT_TRUE(ann.ok() && bob.ok());
  ASSERT_TRUE(s.permissions().grant(std::to_string(ann->id), "front").ok());
  ASSERT_TRUE(s.permissions().grant(std::to_string(bob->id), "front").ok());
  ASSERT_TRUE(s.users().remove(bob->id).ok());
  EXPECT_EQ(*s.permissions().doors_for_user(std::to_string(ann->id)), (Doors{"front"}));
  EXPECT_TRUE(s.permissions().doors_for_user(std::to_string(bob->id))->empty());
  // SQLite may hand bob's id to the next user; that user must start with no doors.
  auto cy = s.users().create("cy", access::Role::resident, "h");
  ASSERT_TRUE(cy.ok());
  EXPECT_TRUE(s.permissions().doors_for_user(std::to_string(cy->id))->empty());
}

}  // namespace
}  // namespace portier::store::sqlite
