#pragma once
// The SQLite backend: one database file in the data directory, migrated at open, and the repositories on it.
// Owned by the composition root (app); everything else sees only the access:: ports.
#include <filesystem>
#include <memory>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/sqlite_audit_repository.hpp"
#include "store/sqlite/sqlite_device_repository.hpp"
#include "store/sqlite/sqlite_extension_repository.hpp"
#include "store/sqlite/sqlite_guest_pass_repository.hpp"
#include "store/sqlite/sqlite_registration_repository.hpp"
#include "store/sqlite/sqlite_history_repository.hpp"
#include "store/sqlite/sqlite_permission_repository.hpp"
#include "store/sqlite/sqlite_token_repository.hpp"
#include "store/sqlite/sqlite_user_repository.hpp"

namespace portier::store::sqlite {

class SqliteStore {
 public:
  static Result<std::unique_ptr<SqliteStore>> open(const std::filesystem::path& file, const Clock& clock);

  access::UserRepository& users() { return users_; }
  access::TokenRepository& tokens() { return tokens_; }
  // Append-only and hash-chained: write through one access::AuditLog; verify with access::verify_audit_log(audit()).
  access::AuditRepository& audit() { return audit_; }
  access::PermissionRepository& permissions() { return permissions_; }
  access::HistoryRepository& history() { return history_; }
  access::ExtensionRepository& extensions() { return extensions_; }
  access::RegistrationRepository& registrations() { return registrations_; }
  access::GuestPassRepository& passes() { return passes_; }
  access::DeviceRepository& devices() { return devices_; }
  Database& database() { return *db_; }
  int schema_version() const { return schema_version_; }

 private:
  SqliteStore(std::unique_ptr<Database> db, std::unique_ptr<Database> events_db, const Clock& clock, int version)
      : db_(std::move(db)),
        events_db_(std::move(events_db)),
        users_(*db_, clock),
        tokens_(*db_, clock),
        audit_(*db_),
        permissions_(*db_, clock),
        history_(*events_db_),
        extensions_(*db_, clock),
        registrations_(*events_db_),
        passes_(*db_),
        devices_(*db_, clock),
        schema_version_(version) {}

  std::unique_ptr<Database> db_;
  // synchronous=NORMAL: the event history and SIP bindings (a crash of Portier loses nothing; a power cut may lose
  // the last commits: phones register again)
  std::unique_ptr<Database> events_db_;
  SqliteUserRepository users_;
  SqliteTokenRepository tokens_;
  SqliteAuditRepository audit_;
  SqlitePermissionRepository permissions_;
  SqliteHistoryRepository history_;
  SqliteExtensionRepository extensions_;
  SqliteRegistrationRepository registrations_;
  SqliteGuestPassRepository passes_;
  SqliteDeviceRepository devices_;
  int schema_version_;
};

}  // namespace portier::store::sqlite
