#pragma once
// A SQLite connection with prepared statements only, WAL journal and versioned migrations. Used from the event-loop
// thread only (one connection, no locking of our own).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace portier::store::sqlite {

// One use of a prepared statement. A statement from the connection's cache (see Database::prepare) is reset and
// handed back when this object dies; any other is finalized.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, bool* cache_slot_in_use = nullptr)
      : db_(db), stmt_(stmt), in_use_(cache_slot_in_use) {}
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t v);
  Statement& bind(int index, std::string_view v);
  Statement& bind(int index, std::nullopt_t);
  Statement& bind_blob(int index, std::string_view v);
  // True when a row is available; false when done. Errors are reported by status().
  bool step();
  Status status() const { return status_; }
  // Runs a statement that returns no rows.
  Status run();

  std::int64_t column_int(int i) const;
  std::string column_text(int i) const;
  bool column_is_null(int i) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache slot's flag (owned by the Database), or null for an uncached statement
  Status status_;
};

class Database {
 public:
  enum class Durability {
    full,    // synchronous=FULL: an acknowledged write survives a power cut (audit, users, ...)
    normal,  // synchronous=NORMAL in WAL: survives a crash of Portier; a power cut may lose the last commits
  };
  // Opens (creating if needed) and applies pragmas: WAL, foreign keys, busy timeout, synchronous per `durability`.
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& file,
                                                Durability durability = Durability::full);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Statements are cached per SQL text (up to kStatementCache texts), so the repositories' fixed queries are
  // compiled once per connection; a text already in use (a nested query) gets a fresh, uncached statement.
  Result<Statement> prepare(std::string_view sql);
  static constexpr std::size_t kStatementCache = 128;
  std::size_t cached_statements() const { return cache_.size(); }
  std::uint64_t cache_hits() const { return cache_hits_; }
  Status exec(std::string_view sql);  // for schema changes and pragmas with no bound values
  std::int64_t last_insert_rowid() const;
  int changes() const;
  Status begin();   // BEGIN IMMEDIATE
  Status commit();
  void rollback();
  const std::filesystem::path& path() const { return path_; }

 private:
  Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  sqlite3* db_;
  std::filesystem::path path_;
  std::unordered_map<std::string, CachedStatement> cache_;  // node-based: the in_use flags stay put
  std::uint64_t cache_hits_ = 0;
};

}  // namespace portier::store::sqlite
