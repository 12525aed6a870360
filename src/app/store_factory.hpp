#pragma once
// Creates the configured store backend. Today: SQLite in <data_dir>/portier.db.
#include <memory>

#include "app/config.hpp"
#include "base/clock.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace portier::app {

// Creates data_dir (mode 0700) when missing and opens the database; throws std::runtime_error with a clear message.
std::unique_ptr<store::sqlite::SqliteStore> open_store(const Config& config, const Clock& clock);

}  // namespace portier::app
