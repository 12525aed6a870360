// AuthService against the real SQLite repositories (in a temp file) and a fake clock.
#include "access/auth_service.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "store/sqlite/sqlite_store.hpp"

using namespace std::chrono_literals;
using portier::errc;
using portier::FakeClock;
using namespace portier::access;

namespace {
class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = std::filesystem::temp_directory_path() / ("portier-auth-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto path = dir / (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db");
    std::filesystem::remove(path);
    store_ = std::move(portier::store::sqlite::SqliteStore::open(path, clock_).value());
    AuthOptions o;
    o.account_throttle = {3, 60s, 300s, 1000};
    o.ip_throttle = {10, 60s, 300s, 1000};
    o.sessions = {600s, 3600s, 100};
    auth_ = std::make_unique<AuthService>(store_->users(), store_->tokens(), hasher_, clock_, o);
  }
  FakeClock clock_;
  PasswordHasher hasher_{1, 8 * 1024 * 1024};
  std::unique_ptr<portier::store::sqlite::SqliteStore> store_;
  std::unique_ptr<AuthService> auth_;
};
}  // namespace

TEST_F(AuthServiceTest, OnboardingOnlyOnce) {
  EXPECT_TRUE(auth_->onboarding_required());
  auto first = auth_->onboard("admin", "a long password");
  ASSERT_TRUE(first.ok()) << first.error().what();
  EXPECT_EQ(first->user.role, Role::admin);
  EXPECT_FALSE(auth_->onboarding_required());
  auto second = auth_->onboard("mallory", "another long password");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, errc::conflict);
}

TEST_F(AuthServiceTest, OnboardingRejectsWeakPasswordAndBadName) {
  EXPECT_EQ(auth_->onboard("admin", "short").error().code, errc::invalid_argument);
  EXPECT_EQ(auth_->onboard("bad name", "a long password").error().code, errc::invalid_argument);
  EXPECT_TRUE(auth_->onboarding_required());
}

TEST_F(AuthServiceTest, UniformErrorForUnknownUserAndWrongPassword) {
  ASSERT_TRUE(auth_->add_user("alice", Role::resident, "alice password 1").ok());
  auto unknown = auth_->login("nobody", "whatever", "1.2.3.4");
  auto wrong = auth_->login("alice", "wrong password", "1.2.3.4");
  ASSERT_FALSE(unknown.ok());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(unknown.error().code, wrong.error().code);
  EXPECT_EQ(unknown.error().what(), wrong.error().what());
}

TEST_F(AuthServiceTest, AccountLockoutAndRecovery) {
  ASSERT_TRUE(auth_->add_user("alice", Role::resident, "alice password 1").ok());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(auth_->login("alice", "nope", "10.0.0." + std::to_string(i)).error().code, errc::unauthenticated);
  // Locked now, even with the right password and from another IP.
  auto locked = auth_->login("alice", "alice password 1", "10.0.0.99");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, errc::rate_limited);
  EXPECT_GT(auth_->retry_after("alice", "10.0.0.99").count(), 0);
  clock_.advance(301s);
  EXPECT_TRUE(auth_->login("alice", "alice password 1", "10.0.0.99").ok());
}

TEST_F(AuthServiceTest, IpLockoutAcrossAccounts) {
  for (int i = 0; i < 10; ++i) (void)auth_->login("user" + std::to_string(i), "nope", "6.6.6.6");
  EXPECT_EQ(auth_->login("anyone", "x", "6.6.6.6").error().code, errc::rate_limited);
  EXPECT_EQ(auth_->login("anyone", "x", "7.7.7.7").error().code, errc::unauthenticated);
}

TEST_F(AuthServiceTest, SessionsAndLogout) {
  auto ok = auth_->onboard("admin", "a long password");
  ASSERT_TRUE(ok.ok());
  auto p = auth_->authenticate_session(ok->ticket.token);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user.name, "admin");
  EXPECT_EQ(p->csrf, ok->ticket.csrf);
  auth_->logout(ok->ticket.token);
  EXPECT_FALSE(auth_->authenticate_session(ok->ticket.token));
}

TEST_F(AuthServiceTest, ApiTokens) {
  auto admin = auth_->onboard("admin", "a long password");
  auto tok = auth_->create_token(admin->user.id, "backup script");
  ASSERT_TRUE(tok.ok());
  auto p = auth_->authenticate_token(tok->second);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->via, Principal::Via::token);
  EXPECT_EQ(auth_->list_tokens(admin->user.id).size(), 1u);
  EXPECT_TRUE(auth_->list_tokens(admin->user.id)[0].last_used_at.has_value());
  ASSERT_TRUE(auth_->revoke_token(admin->user.id, tok->first.id).ok());
  EXPECT_FALSE(auth_->authenticate_token(tok->second));
  EXPECT_FALSE(auth_->authenticate_token("ptk_forged_token_value_xxxxxxxx"));
}

TEST_F(AuthServiceTest, PasswordChangeAndLastAdmin) {
  auto admin = auth_->onboard("admin", "a long password");
  EXPECT_EQ(auth_->change_password(admin->user.id, "wrong", "a new long password").error().code,
            errc::permission_denied);
  ASSERT_TRUE(auth_->change_password(admin->user.id, "a long password", "a new long password").ok());
  EXPECT_TRUE(auth_->login("admin", "a new long password", "1.1.1.1").ok());
  EXPECT_EQ(auth_->remove_user("admin").error().code, errc::conflict);
  ASSERT_TRUE(auth_->set_password("admin", "reset password 123").ok());
  EXPECT_FALSE(auth_->authenticate_session(admin->ticket.token));  // a reset logs the user out everywhere
}
