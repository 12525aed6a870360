#pragma once
#include "access/extension_repository.hpp"
#include "base/clock.hpp"
#include "store/sqlite/database.hpp"

namespace portier::store::sqlite {

class SqliteExtensionRepository final : public access::ExtensionRepository {
 public:
  SqliteExtensionRepository(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  Result<access::Extension> create(const access::Extension& extension) override;
  std::optional<access::Extension> find(const std::string& number) const override;
  std::vector<access::Extension> list() const override;
  Status update_secret(const std::string& number, const std::string& secret) override;
  Status remove(const std::string& number) override;

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace portier::store::sqlite
