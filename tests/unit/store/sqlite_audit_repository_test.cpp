#include "store/sqlite/sqlite_audit_repository.hpp"

#include <gtest/gtest.h>

#include "access/audit_log.hpp"
#include "access/audit_verifier.hpp"
#include "base/error.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "unit/store/temp_db.hpp"

namespace portier::store::sqlite {
namespace {

using access::AuditEntry;
using access::AuditLog;
using access::AuditRecord;
using access::AuditResult;
using test::temp_db;

std::unique_ptr<SqliteStore> open_store(const std::filesystem::path& path, const Clock& clock) {
  auto store = SqliteStore::open(path, clock);
  EXPECT_TRUE(store.ok()) << store.error().what();
  return store ? std::move(*store) : nullptr;
}

AuditEntry entry(int i) {
  return AuditEntry::from(access::Actor::user(std::to_string(i), "user " + std::to_string(i)),
                          access::AccessMethod::web, i % 2 ? "front" : "back", "unlock", AuditResult::granted);
}

void append_rows(AuditLog& log, FakeClock& clock, int count) {
  for (int i = 0; i < count; ++i) {
    clock.advance(std::chrono::milliseconds(250));
    auto r = log.append(entry(i));
    ASSERT_TRUE(r.ok()) << r.error().what();
  }
}

access::AuditVerifyReport verify(SqliteStore& store) {
  auto report = access::verify_audit_log(store.audit());
  EXPECT_TRUE(report.ok()) << report.error().what();
  return report ? *report : access::AuditVerifyReport{false, 0, 0, "unreadable"};
}

TEST(SqliteAuditRepository, RoundTripsEveryField) {
  FakeClock clock;
  auto store = open_store(temp_db("audit-roundtrip.db"), clock);
  AuditRecord r;
  r.seq = 1;
  r.time_ms = 1'800'000'000'123;
  r.entry.actor_kind = access::ActorKind::pass;
  r.entry.actor_id = "pass-7";
  r.entry.actor_name = "Plumber \xe2\x9c\x93 'quoted' ;1:x;";
  r.entry.method = access::AccessMethod::dtmf;
  r.entry.door = "garage";
  r.entry.action = "unlock";
  r.entry.result = AuditResult::failed;
  r.entry.detail = "relay driver: line busy";
  r.prev_hash = std::string(access::kAuditGenesisHash);
  r.hash = access::compute_audit_hash(r);
  ASSERT_TRUE(store->audit().append(r).ok());

  auto rows = store->audit().read(0, 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  const AuditRecord& back = rows->front();
  EXPECT_EQ(access::canonical_content(back), access::canonical_content(r));
  EXPECT_EQ(back.prev_hash, r.prev_hash);
  EXPECT_EQ(back.hash, r.hash);
  auto head = store->audit().head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 1u);
  EXPECT_EQ(head->hash, r.hash);
}

TEST(SqliteAuditRepository, EmptyHeadAndPagedReads) {
  FakeClock clock;
  auto store = open_store(temp_db("audit-pages.db"), clock);
  auto empty = store->audit().head();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->seq, 0u);
  EXPECT_EQ(empty->hash, access::kAuditGenesisHash);

  AuditLog log(store->audit(), clock);
  append_rows(log, clock, 7);
  auto page = store->audit().read(2, 3);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ((*page)[0].seq, 3u);
  EXPECT_EQ((*page)[2].seq, 5u);
  EXPECT_TRUE(store->audit().read(7, 10)->empty());
  EXPECT_TRUE(store->audit().read(0, 0)->empty());
  EXPECT_EQ(verify(*store).rows, 7u);
}

TEST(SqliteAuditRepository, ChainVerifiesAfterReopen) {
  FakeClock clock;
  const auto path = temp_db("audit-reopen.db");
  std::string head_hash;
  {
    auto store = open_store(path, clock);
    AuditLog log(store->audit(), clock);
    ASSERT_TRUE(log.open().ok());
    append_rows(log, clock, 5);
    head_hash = log.head().hash;
  }
  auto store = open_store(path, clock);
  AuditLog log(store->audit(), clock);
  ASSERT_TRUE(log.open().ok());
  EXPECT_EQ(log.head().seq, 5u);
  EXPECT_EQ(log.head().hash, head_hash);
  append_rows(log, clock, 3);
  auto report = verify(*store);
  EXPECT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.rows, 8u);
}

TEST(SqliteAuditRepository, RefusesRowsThatDoNotExtendTheChain) {
  FakeClock clock;
  auto store = open_store(temp_db("audit-conflict.db"), clock);
  auto& repo = store->audit();
  AuditRecord r;
  r.seq = 2;  // the log is empty: only 1 may come next
  r.entry = entry(0);
  r.prev_hash = std::string(access::kAuditGenesisHash);
  r.hash = access::compute_audit_hash(r);
  auto st = repo.append(r);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::conflict);

  r.seq = 1;
  r.hash = access::compute_audit_hash(r);
  ASSERT_TRUE(repo.append(r).ok());
  auto again = repo.append(r);  // the same seq twice
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, errc::conflict);

  AuditRecord stray = r;  // right seq, but it does not follow from row 1
  stray.seq = 2;
  stray.hash = access::compute_audit_hash(stray);
  auto broken = repo.append(stray);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, errc::conflict);
  EXPECT_EQ(repo.head()->seq, 1u);
}

TEST(SqliteAuditRepository, SecondWriterGetsConflictThenRecovers) {
  FakeClock clock;
  auto store = open_store(temp_db("audit-writers.db"), clock);
  AuditLog first(store->audit(), clock);
  AuditLog stale(store->audit(), clock);
  ASSERT_TRUE(first.open().ok());
  ASSERT_TRUE(stale.open().ok());
  ASSERT_TRUE(first.append(entry(1)).ok());
  auto lost = stale.append(entry(2));
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, errc::conflict);
  auto retried = stale.append(entry(2));  // AuditLog re-reads the head after a failure
  ASSERT_TRUE(retried.ok()) << retried.error().what();
  EXPECT_EQ(retried->seq, 2u);
  EXPECT_TRUE(verify(*store).ok);
}

TEST(SqliteAuditRepository, TriggersRefuseUpdateDeleteAndReplace) {
  FakeClock clock;
  auto store = open_store(temp_db("audit-triggers.db"), clock);
  AuditLog log(store->audit(), clock);
  append_rows(log, clock, 3);
  auto& db = store->database();

  auto update = db.exec("UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 2");
  ASSERT_FALSE(update.ok());
  EXPECT_NE(update.error().what().find("append-only"), std::string::npos) << update.error().what();
  auto remove = db.exec("DELETE FROM audit_log WHERE seq = 3");
  ASSERT_FALSE(remove.ok());
  EXPECT_NE(remove.error().what().find("append-only"), std::string::npos) << remove.error().what();
  auto replace = db.exec(
      "INSERT OR REPLACE INTO audit_log SELECT seq, time_ms, actor_kind, actor_id, 'mallory', method, door, action, "
      "result, detail, prev_hash, hash FROM audit_log WHERE seq = 2");
  EXPECT_FALSE(replace.ok());
  auto forged = db.exec(
      "INSERT INTO audit_log SELECT 9, time_ms, actor_kind, actor_id, actor_name, method, door, action, result, "
      "detail, hash, hash FROM audit_log WHERE seq = 3");
  EXPECT_FALSE(forged.ok()) << "a row with a gap in seq must be refused";

  auto report = verify(*store);
  EXPECT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.rows, 3u);
  EXPECT_EQ(store->audit().read(1, 1)->front().entry.actor_name, "user 1");
}

// Writes `rows` rows through Portier, then edits the file as an outside tool would (its own connection, the guarding
// trigger dropped first), and reopens the store for the checks.
std::unique_ptr<SqliteStore> tampered_store(const std::string& file, FakeClock& clock, int rows,
                                            std::string_view trigger, std::string_view edit) {
  const auto path = temp_db(file);
  {
    auto store = open_store(path, clock);
    AuditLog log(store->audit(), clock);
    append_rows(log, clock, rows);
  }
  {
    auto outside = Database::open(path);
    EXPECT_TRUE(outside.ok());
    EXPECT_TRUE((*outside)->exec("DROP TRIGGER " + std::string(trigger)).ok());
    auto st = (*outside)->exec(edit);
    EXPECT_TRUE(st.ok()) << st.error().what();
  }
  return open_store(path, clock);
}

TEST(SqliteAuditRepository, VerifierDetectsRowEditedBehindSqlitesBack) {
  FakeClock clock;
  auto store = tampered_store("audit-edited.db", clock, 4, "audit_log_no_update",
                              "UPDATE audit_log SET result = 'denied' WHERE seq = 2");
  auto report = verify(*store);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 2u);
  EXPECT_NE(report.reason.find("edited"), std::string::npos) << report.reason;
}

TEST(SqliteAuditRepository, VerifierDetectsRowDeletedBehindSqlitesBack) {
  FakeClock clock;
  auto store =
      tampered_store("audit-deleted.db", clock, 4, "audit_log_no_delete", "DELETE FROM audit_log WHERE seq = 3");
  auto report = verify(*store);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3u);
}

TEST(SqliteAuditRepository, UnknownEnumTextIsAnErrorNamingTheRow) {
  FakeClock clock;
  auto store = tampered_store("audit-enum.db", clock, 2, "audit_log_no_update",
                              "UPDATE audit_log SET actor_kind = 'robot' WHERE seq = 2");
  auto rows = store->audit().read(0, 10);
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.error().what().find("audit row 2"), std::string::npos) << rows.error().what();
}

}  // namespace
}  // namespace portier::store::sqlite
