// MQTT door devices in SQLite (migration v5): create, credentials, counter reservations, removal, reopen.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "temp_db.hpp"

using portier::errc;
using portier::FakeClock;
using portier::store::sqlite::SqliteStore;
using portier::store::sqlite::test::temp_db;
namespace pa = portier::access;

TEST(SqliteMqttDevices, CreateRotateReserveRemoveAndReopen) {
  FakeClock clock;
  const auto file = temp_db("devices.db");
  {
    auto store = std::move(SqliteStore::open(file, clock).value());
    auto& repo = store->devices();
    pa::NetworkDevice gate;
    gate.name = "gate";
    gate.broker_password_hash = "$7$101$salt$hash";
    gate.command_key = "k1";
    ASSERT_TRUE(repo.create(gate));
    pa::NetworkDevice old;
    old.name = "old";
    old.protocol = pa::DeviceProtocol::legacy_doorlock;
    old.login_hash = "$argon2id$...";
    ASSERT_TRUE(repo.create(old));
    auto dup = repo.create(gate);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, errc::already_exists);
    ASSERT_TRUE(repo.update_credentials("gate", "$7$101$s2$h2", "k2", ""));
    EXPECT_EQ(repo.update_credentials("nope", "", "", "").error().code, errc::not_found);
    ASSERT_TRUE(repo.reserve_counter("gate", 1000));
    ASSERT_TRUE(repo.reserve_counter("gate", 10));  // never goes back
    ASSERT_TRUE(repo.remove("old"));
    EXPECT_EQ(repo.remove("old").error().code, errc::not_found);
  }
  auto store = std::move(SqliteStore::open(file, clock).value());
  auto all = store->devices().list();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  const auto& d = all->front();
  EXPECT_EQ(d.name, "gate");
  EXPECT_EQ(d.protocol, pa::DeviceProtocol::native);
  EXPECT_EQ(d.command_key, "k2");
  EXPECT_EQ(d.broker_password_hash, "$7$101$s2$h2");
  EXPECT_EQ(d.counter_reserved, 1000u);
  EXPECT_FALSE(store->devices().find("old"));
}
