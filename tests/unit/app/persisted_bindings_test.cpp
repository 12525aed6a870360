// PersistedBindings: the registrar's saves and removes coalesced per binding and written in one SQLite transaction,
// flushed by its timer and at destruction, and read back at start-up.
#include "app/persisted_bindings.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <unistd.h>

#include "store/sqlite/sqlite_store.hpp"

namespace {

using portier::FakeClock;
using portier::app::PersistedBindings;
using portier::store::sqlite::SqliteStore;
using namespace std::chrono_literals;

std::filesystem::path fresh_db(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("portier-app-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path;
}

portier::sip::ua::Binding binding(const std::string& aor, const std::string& contact, std::uint32_t cseq) {
  portier::sip::ua::Binding b;
  b.aor = aor;
  b.contact = contact;
  b.call_id = "call-" + aor;
  b.cseq = cseq;
  b.expires_at = portier::Clock::SystemTime{std::chrono::seconds{1'900'000'000}};
  b.source.protocol = portier::sip::txn::Protocol::tcp;
  b.source.address = "192.0.2.7";
  b.source.port = 40000;
  b.user_agent = "test UA";
  return b;
}

class PersistedBindingsTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  std::filesystem::path path_ = fresh_db("bindings.db");
  std::unique_ptr<SqliteStore> store_ = std::move(SqliteStore::open(path_, clock_).value());
  boost::asio::io_context io_;
};

TEST_F(PersistedBindingsTest, RefreshesAreCoalescedIntoOneCommitByTheTimer) {
  PersistedBindings pb(io_, store_->registrations(), 20ms);
  for (std::uint32_t cseq = 1; cseq <= 500; ++cseq) pb.save(binding("7002", "sip:7002@192.0.2.7:5060", cseq));
  pb.save(binding("7003", "sip:7003@192.0.2.8:5060", 1));
  EXPECT_EQ(pb.pending(), 2u);
  EXPECT_TRUE(store_->registrations().load()->empty());  // nothing written before the timer
  io_.run_for(2s);
  EXPECT_EQ(pb.pending(), 0u);
  EXPECT_EQ(pb.commits(), 1u);
  auto rows = store_->registrations().load().value();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].aor, "7002");
  EXPECT_EQ(rows[0].cseq, 500u);  // the last refresh won
  EXPECT_EQ(rows[0].transport, "tcp");
  EXPECT_EQ(rows[0].source_address, "192.0.2.7");
}

TEST_F(PersistedBindingsTest, RemoveAfterSaveInOneBatchLeavesNothingAndDestructorFlushes) {
  {
    PersistedBindings pb(io_, store_->registrations(), 1h);
    pb.save(binding("7002", "sip:7002@192.0.2.7:5060", 1));
    ASSERT_TRUE(store_->registrations().apply({{portier::app::to_record(binding("7004", "sip:x@y", 3))}, {}}).ok());
    pb.remove(binding("7004", "sip:x@y", 3));
    pb.save(binding("7005", "sip:7005@192.0.2.9", 1));
    pb.remove(binding("7005", "sip:7005@192.0.2.9", 1));
  }  // never ran the io_context: the destructor writes
  auto rows = store_->registrations().load().value();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].aor, "7002");
}

TEST_F(PersistedBindingsTest, LoadFlushesFirstAndMapsEveryField) {
  PersistedBindings pb(io_, store_->registrations(), 1h);
  auto b = binding("7002", "sip:7002@10.0.0.2:5062;transport=tcp", 9);
  b.instance = "urn:uuid:00000000-0000-1000-8000-000000000001";
  b.reg_id = 2;
  b.q_milli = 500;
  pb.save(b);
  auto loaded = pb.load();
  ASSERT_EQ(loaded.size(), 1u);
  const auto& l = loaded[0];
  EXPECT_EQ(l.key(), b.key());
  EXPECT_EQ(l.contact, b.contact);
  EXPECT_EQ(l.reg_id, 2u);
  EXPECT_EQ(l.q_milli, 500u);
  EXPECT_EQ(l.cseq, 9u);
  EXPECT_EQ(l.expires_at, b.expires_at);
  EXPECT_EQ(l.source.protocol, portier::sip::txn::Protocol::tcp);
  EXPECT_EQ(l.source.port, 40000);
  EXPECT_EQ(l.user_agent, "test UA");
  EXPECT_EQ(pb.pending(), 0u);
}

}  // namespace
