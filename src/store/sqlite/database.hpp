#pragma once
// A SQLite connection with prepared statements only, WAL journal and versioned migrations. Used from the event-loop
// thread only (one connection, no locking of our own).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace portier::store::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
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

  Result<Statement> prepare(std::string_view sql);
  Status exec(std::string_view sql);  // for schema changes and pragmas with no bound values
  std::int64_t last_insert_rowid() const;
  int changes() const;
  Status begin();   // BEGIN IMMEDIATE
  Status commit();
  void rollback();
  const std::filesystem::path& path() const { return path_; }

 private:
  Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::filesystem::path path_;
};

}  // namespace portier::store::sqlite
