#pragma once
// Versioned schema migrations, applied in order at start-up inside one transaction each. A database newer than this
// binary is refused rather than guessed at.
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "store/sqlite/database.hpp"

namespace portier::store::sqlite {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Every migration Portier knows, ascending by version. Append only: never edit a migration that has shipped.
const std::vector<Migration>& migrations();
// Applies the pending ones; returns the resulting schema version.
Result<int> migrate(Database& db, const std::vector<Migration>& all = migrations());

}  // namespace portier::store::sqlite
