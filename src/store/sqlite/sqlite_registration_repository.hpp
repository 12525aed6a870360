#pragma once
#include "access/registration_repository.hpp"
#include "store/sqlite/database.hpp"

namespace portier::store::sqlite {

class SqliteRegistrationRepository final : public access::RegistrationRepository {
 public:
  explicit SqliteRegistrationRepository(Database& db) : db_(db) {}
  Status save(const access::RegistrationRecord& r) override;
  Status remove(const std::string& aor, const std::string& key) override;
  Status apply(const access::RegistrationBatch& batch) override;
  Result<std::vector<access::RegistrationRecord>> load() const override;

 private:
  Database& db_;
};

}  // namespace portier::store::sqlite
