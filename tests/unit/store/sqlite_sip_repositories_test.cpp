// Extensions and persisted SIP registrations in SQLite.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "temp_db.hpp"

using portier::errc;
using portier::FakeClock;
using portier::store::sqlite::SqliteStore;
using portier::store::sqlite::test::temp_db;
namespace pa = portier::access;

TEST(SqliteExtensions, CreateFindUpdateRemove) {
  FakeClock clock;
  auto store = std::move(SqliteStore::open(temp_db("ext.db"), clock).value());
  auto& ext = store->extensions();
  ASSERT_TRUE(ext.create({"7002", "Kitchen", "secret 7002", pa::ExtensionRole::resident, {}}).ok());
  ASSERT_TRUE(ext.create({"door", "Front door", "secret door", pa::ExtensionRole::door, {}}).ok());
  auto dup = ext.create({"7002", "x", "y", pa::ExtensionRole::ata, {}});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, errc::already_exists);
  auto found = ext.find("door");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->role, pa::ExtensionRole::door);
  EXPECT_EQ(found->display_name, "Front door");
  ASSERT_TRUE(ext.update_secret("7002", "new secret").ok());
  EXPECT_EQ(ext.find("7002")->secret, "new secret");
  EXPECT_EQ(ext.update_secret("9999", "x").error().code, errc::not_found);
  EXPECT_EQ(ext.list().size(), 2u);
  ASSERT_TRUE(ext.remove("7002").ok());
  EXPECT_EQ(ext.remove("7002").error().code, errc::not_found);
  EXPECT_FALSE(ext.find("7002"));
}

TEST(SqliteRegistrations, SaveReplaceRemoveAndSurviveReopen) {
  FakeClock clock;
  auto path = temp_db("reg.db");
  pa::RegistrationRecord r;
  r.aor = "7002";
  r.key = r.contact = std::string("sip:7002@10.0.0.5:5060");
  r.call_id = "call-1";
  r.cseq = 5;
  r.expires_at = clock.now() + std::chrono::seconds{3600};
  r.transport = "udp";
  r.source_address = "203.0.113.7";
  r.source_port = 40312;
  r.user_agent = "baresip";
  {
    auto store = std::move(SqliteStore::open(path, clock).value());
    ASSERT_TRUE(store->registrations().save(r).ok());
    r.cseq = 6;  // a refresh replaces the row
    ASSERT_TRUE(store->registrations().save(r).ok());
  }
  auto store = std::move(SqliteStore::open(path, clock).value());
  auto rows = store->registrations().load();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].cseq, 6u);
  EXPECT_EQ((*rows)[0].source_port, 40312);
  EXPECT_EQ((*rows)[0].expires_at, r.expires_at);
  ASSERT_TRUE(store->registrations().remove("7002", r.key).ok());
  EXPECT_TRUE(store->registrations().load()->empty());
}

TEST(SqliteRegistrations, RemovingAnExtensionDropsItsRegistrations) {
  FakeClock clock;
  auto store = std::move(SqliteStore::open(temp_db("reg2.db"), clock).value());
  ASSERT_TRUE(store->extensions().create({"7003", "Hall", "secret 7003", pa::ExtensionRole::resident, {}}).ok());
  pa::RegistrationRecord r;
  r.aor = "7003";
  r.key = r.aor;  // any stable key (a one-letter literal trips a GCC 12 -Wrestrict false positive at -O3)
  r.contact = "sip:7003@127.0.0.1";
  r.transport = "tcp";
  ASSERT_TRUE(store->registrations().save(r).ok());
  ASSERT_TRUE(store->extensions().remove("7003").ok());
  EXPECT_TRUE(store->registrations().load()->empty());
}
