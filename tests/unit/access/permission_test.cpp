#include <gtest/gtest.h>

#include "access/permission_policy.hpp"
#include "access/permission_repository_memory.hpp"
#include "base/error.hpp"

namespace portier::access {
namespace {

TEST(PermissionTableTest, GrantRevokeAndCascade) {
  PermissionTable t;
  EXPECT_TRUE(t.grant("ann", "front"));
  EXPECT_FALSE(t.grant("ann", "front"));
  t.grant("ann", "back");
  t.grant("bob", "front");
  EXPECT_TRUE(t.allows("ann", "back"));
  EXPECT_FALSE(t.allows("bob", "back"));
  EXPECT_EQ(t.doors_for("ann"), (std::set<std::string>{"back", "front"}));
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.list(), (std::vector<PermissionGrant>{{"ann", "back"}, {"ann", "front"}, {"bob", "front"}}));
  EXPECT_TRUE(t.revoke("ann", "back"));
  EXPECT_FALSE(t.revoke("ann", "back"));
  EXPECT_EQ(t.remove_door("front"), 2u);
  EXPECT_EQ(t.size(), 0u);
  t.grant("cy", "a");
  t.grant("cy", "b");
  EXPECT_EQ(t.remove_user("cy"), 2u);
  EXPECT_NE(t.dump().find("grants=0"), std::string::npos);
}

class PermissionPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo.table().grant("ann", "front");
    repo.table().grant("bob", "back");
  }
  bool allows(const Actor& a, const std::string& door) {
    auto r = policy.allows(a, door);
    EXPECT_TRUE(r);
    return r.ok() && *r;
  }
  MemoryPermissionRepository repo;
  PermissionPolicy policy{repo};
};

TEST_F(PermissionPolicyTest, UsersOpenTheirDoorsOnly) {
  EXPECT_TRUE(allows(Actor::user("ann", "Ann"), "front"));
  EXPECT_FALSE(allows(Actor::user("ann", "Ann"), "back"));
  EXPECT_FALSE(allows(Actor::user("zed", "Zed"), "front"));
}

TEST_F(PermissionPolicyTest, AdminsAndSystemOpenEveryDoor) {
  EXPECT_TRUE(allows(Actor::user("root", "Root", true), "back"));
  EXPECT_TRUE(allows(Actor::system("cli"), "garage"));
}

TEST_F(PermissionPolicyTest, TokensActForTheirUser) {
  Actor token;
  token.kind = ActorKind::token;
  token.id = "tok-1";
  token.user_id = "bob";
  EXPECT_TRUE(allows(token, "back"));
  EXPECT_FALSE(allows(token, "front"));
  token.scope = {"front"};  // a scope cannot widen a user's rights
  EXPECT_FALSE(allows(token, "back"));
  EXPECT_FALSE(allows(token, "front"));
}

TEST_F(PermissionPolicyTest, PassesOpenOnlyTheirScope) {
  Actor pass;
  pass.kind = ActorKind::pass;
  pass.id = "p1";
  EXPECT_FALSE(allows(pass, "front"));
  pass.scope = {"front"};
  EXPECT_TRUE(allows(pass, "front"));
  EXPECT_FALSE(allows(pass, "back"));
  Actor admin = Actor::user("root", "Root", true);
  admin.scope = {"back"};
  EXPECT_FALSE(allows(admin, "front"));
}

TEST_F(PermissionPolicyTest, StoreDownIsAnError) {
  repo.fail_with(Error(errc::unavailable, "db locked"));
  auto r = policy.allows(Actor::user("ann", "Ann"), "front");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().what(), "db locked");
  EXPECT_TRUE(policy.allows(Actor::system("cli"), "front"));  // no store needed
}

TEST_F(PermissionPolicyTest, PermittedKeepsOrder) {
  auto r = policy.permitted(Actor::user("ann", "Ann"), {"back", "front", "garage"});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, std::vector<std::string>{"front"});
  ASSERT_TRUE(repo.grant("ann", "garage"));
  ASSERT_TRUE(repo.revoke("ann", "front"));
  EXPECT_EQ(*policy.permitted(Actor::user("ann", "Ann"), {"back", "front", "garage"}),
            std::vector<std::string>{"garage"});
  EXPECT_EQ(repo.list()->size(), 2u);
}

}  // namespace
}  // namespace portier::access
