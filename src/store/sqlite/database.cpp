#include "store/sqlite/database.hpp"

#include <sqlite3.h>

#include "base/error.hpp"

namespace portier::store::sqlite {
namespace {
Error db_error(sqlite3* db, std::string_view what) {
  const int rc = sqlite3_extended_errcode(db);
  const auto code = (rc & 0xff) == SQLITE_CONSTRAINT ? errc::already_exists
                    : (rc & 0xff) == SQLITE_BUSY      ? errc::unavailable
                                                      : errc::io_error;
  return Error(code, std::string(what) + ": " + sqlite3_errmsg(db));
}
}  // namespace

Statement::Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_), in_use_(o.in_use_), status_(o.status_) {
  o.stmt_ = nullptr;
  o.in_use_ = nullptr;
}
Statement::~Statement() {
  if (!stmt_) return;
  if (in_use_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

Statement& Statement::bind(int index, std::int64_t v) {
  sqlite3_bind_int64(stmt_, index, v);
  return *this;
}
Statement& Statement::bind(int index, std::string_view v) {
  sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind(int index, std::nullopt_t) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}
Statement& Statement::bind_blob(int index, std::string_view v) {
  sqlite3_bind_blob(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = db_error(db_, "sqlite step");
  return false;
}

Status Statement::run() {
  while (step()) {
  }
  return status_;
}

std::int64_t Statement::column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
std::string Statement::column_text(int i) const {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string();
}
bool Statement::column_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& file, Durability durability) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error(errc::io_error, "cannot open database " + file.string() + ": " + msg);
  }
  std::unique_ptr<Database> out(new Database(db, file));
  sqlite3_busy_timeout(db, 5000);
  // synchronous=FULL: an acknowledged write (an audit row above all) survives a power cut.
  const char* sync = durability == Durability::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
  for (auto pragma : {"PRAGMA journal_mode=WAL", sync, "PRAGMA foreign_keys=ON"}) {
    if (auto st = out->exec(pragma); !st) return st.error();
  }
  return out;
}

Database::~Database() {
  for (auto& [sql, slot] : cache_) sqlite3_finalize(slot.stmt);
  sqlite3_close(db_);
}

Result<Statement> Database::prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !it->second.in_use) {
    ++cache_hits_;
    it->second.in_use = true;
    return Statement(db_, it->second.stmt, &it->second.in_use);
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK)
    return db_error(db_, "sqlite prepare");
  if (it == cache_.end() && cache_.size() < kStatementCache && stmt) {
    auto& slot = cache_[std::string(sql)];
    slot.stmt = stmt;
    slot.in_use = true;
    return Statement(db_, stmt, &slot.in_use);
  }
  return Statement(db_, stmt);
}

Status Database::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Error(errc::io_error, "sqlite exec: " + msg);
  }
  return {};
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }
Status Database::begin() { return exec("BEGIN IMMEDIATE"); }
Status Database::commit() { return exec("COMMIT"); }
void Database::rollback() { (void)exec("ROLLBACK"); }

}  // namespace portier::store::sqlite
