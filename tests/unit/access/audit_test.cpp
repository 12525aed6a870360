#include <gtest/gtest.h>

#include "access/audit_log.hpp"
#include "access/audit_repository_memory.hpp"
#include "access/audit_verifier.hpp"
#include "base/error.hpp"

namespace portier::access {
namespace {

using namespace std::chrono_literals;

class AuditTest : public ::testing::Test {
 protected:
  void fill(int n) {
    for (int i = 0; i < n; ++i) {
      auto actor = Actor::user("u" + std::to_string(i % 3), "User " + std::to_string(i % 3));
      auto r = log.append(AuditEntry::from(actor, AccessMethod::web, i % 2 ? "front" : "back", "unlock",
                                           AuditResult::granted));
      ASSERT_TRUE(r);
      clock.advance(1500ms);
    }
  }
  AuditVerifyReport verify(std::size_t page = 4) {
    auto r = verify_audit_log(repo, page);
    EXPECT_TRUE(r);
    return *r;
  }

  FakeClock clock;
  MemoryAuditRepository repo;
  AuditLog log{repo, clock};
};

TEST_F(AuditTest, AppendChainsRows) {
  auto first = log.append(AuditEntry::from(Actor::user("u1", "Ann"), AccessMethod::api, "front", "unlock",
                                           AuditResult::granted));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->seq, 1u);
  EXPECT_EQ(first->prev_hash, kAuditGenesisHash);
  EXPECT_EQ(first->hash.size(), 64u);
  EXPECT_EQ(first->time_ms, to_unix_ms(clock.now()));
  auto second = log.append(AuditEntry::from(Actor::system("relock"), AccessMethod::internal, "front", "lock",
                                            AuditResult::granted));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->seq, 2u);
  EXPECT_EQ(second->prev_hash, first->hash);
  EXPECT_EQ(log.head().seq, 2u);
  EXPECT_EQ(log.head().hash, second->hash);
}

TEST_F(AuditTest, EmptyAndIntactLogsVerify) {
  EXPECT_TRUE(verify().ok);
  fill(10);
  auto report = verify();
  EXPECT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.rows, 10u);
  EXPECT_EQ(report.first_bad_seq, 0u);
}

TEST_F(AuditTest, EditingAnyFieldOfAnyRowIsDetected) {
  fill(6);
  using Edit = void (*)(AuditRecord&);
  const Edit edits[] = {
      [](AuditRecord& r) { r.entry.actor_name += "x"; },
      [](AuditRecord& r) { r.entry.actor_id = "someone-else"; },
      [](AuditRecord& r) { r.entry.actor_kind = ActorKind::token; },
      [](AuditRecord& r) { r.entry.method = AccessMethod::cli; },
      [](AuditRecord& r) { r.entry.door = "garage"; },
      [](AuditRecord& r) { r.entry.action = "lock"; },
      [](AuditRecord& r) { r.entry.result = AuditResult::denied; },
      [](AuditRecord& r) { r.entry.detail = "nothing to see"; },
      [](AuditRecord& r) { r.time_ms += 1; },
  };
  const auto pristine = repo.rows();
  for (std::size_t row = 0; row < pristine.size(); ++row) {
    for (auto edit : edits) {
      repo.rows() = pristine;
      edit(repo.rows()[row]);
      auto report = verify();
      EXPECT_FALSE(report.ok) << "row " << row;
      EXPECT_EQ(report.first_bad_seq, row + 1) << report.reason;
    }
  }
}

TEST_F(AuditTest, EditWithRecomputedHashIsCaughtAtNextRow) {
  fill(5);
  auto& r = repo.rows()[1];
  r.entry.result = AuditResult::denied;
  r.hash = compute_audit_hash(r);  // a careful forger
  auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3u);
  EXPECT_NE(report.reason.find("prev_hash"), std::string::npos);
}

TEST_F(AuditTest, DeletingAnyRowButTheLastIsDetected) {
  fill(6);
  const auto pristine = repo.rows();
  for (std::size_t row = 0; row + 1 < pristine.size(); ++row) {
    repo.rows() = pristine;
    repo.rows().erase(repo.rows().begin() + static_cast<std::ptrdiff_t>(row));
    auto report = verify(2);
    EXPECT_FALSE(report.ok) << "deleted row " << row;
    EXPECT_EQ(report.first_bad_seq, row + 1) << report.reason;
  }
}

TEST_F(AuditTest, DeletingAndRenumberingIsDetected) {
  fill(5);
  repo.rows().erase(repo.rows().begin() + 2);
  for (std::size_t i = 2; i < repo.rows().size(); ++i) repo.rows()[i].seq -= 1;
  auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3u);
}

TEST_F(AuditTest, DroppedTailIsCaughtOnlyWithARecordedHead) {
  fill(5);
  const AuditHead recorded = log.head();
  repo.rows().pop_back();
  EXPECT_TRUE(verify().ok);
  auto r = verify_audit_log(repo, 100, recorded);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->first_bad_seq, 5u);
}

TEST_F(AuditTest, ContentCannotImitateSeparators) {
  AuditRecord a;
  a.entry.actor_id = "a;b";
  a.entry.actor_name = "c";
  AuditRecord b = a;
  b.entry.actor_id = "a";
  b.entry.actor_name = "b;c";
  EXPECT_NE(canonical_content(a), canonical_content(b));
}

TEST_F(AuditTest, FailedAppendLeavesChainIntactAndRereadsHead) {
  fill(2);
  repo.fail_appends(Error(errc::io_error, "disk full"));
  auto r = log.append(AuditEntry::from(Actor::user("u", "U"), AccessMethod::web, "front", "unlock",
                                       AuditResult::granted));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().what(), "disk full");
  fill(2);
  auto report = verify();
  EXPECT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.rows, 4u);
}

TEST_F(AuditTest, TwoWritersCannotFork) {
  fill(1);
  AuditLog other(repo, clock);
  ASSERT_TRUE(other.open());
  fill(1);  // `log` wrote row 2; `other` still thinks the head is row 1
  auto r = other.append(AuditEntry::from(Actor::system("x"), AccessMethod::cli, "front", "unlock",
                                         AuditResult::granted));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(errc::conflict));
  EXPECT_TRUE(other.append(AuditEntry{}));  // re-reads the head, then appends row 3
  EXPECT_TRUE(verify().ok);
}

TEST_F(AuditTest, EnumsRoundTrip) {
  for (auto k : {ActorKind::user, ActorKind::token, ActorKind::pass, ActorKind::dtmf, ActorKind::system}) {
    EXPECT_EQ(*parse_actor_kind(to_string(k)), k);
  }
  for (auto m : {AccessMethod::web, AccessMethod::api, AccessMethod::cli, AccessMethod::dtmf, AccessMethod::pass,
                 AccessMethod::mqtt, AccessMethod::button, AccessMethod::internal}) {
    EXPECT_EQ(*parse_access_method(to_string(m)), m);
  }
  for (auto r : {AuditResult::granted, AuditResult::denied, AuditResult::failed}) {
    EXPECT_EQ(*parse_audit_result(to_string(r)), r);
  }
  EXPECT_FALSE(parse_access_method("telepathy"));
}

TEST_F(AuditTest, Dump) {
  fill(3);
  EXPECT_NE(log.dump().find("head_seq=3"), std::string::npos);
  AuditChainVerifier v;
  for (const auto& r : repo.rows()) v.feed(r);
  EXPECT_NE(v.dump().find("rows=3"), std::string::npos);
}

}  // namespace
}  // namespace portier::access
