#pragma once
#include "access/network_device.hpp"
#include "base/clock.hpp"
#include "store/sqlite/database.hpp"

namespace portier::store::sqlite {

class SqliteDeviceRepository final : public access::DeviceRepository {
 public:
  SqliteDeviceRepository(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  Result<access::NetworkDevice> create(const access::NetworkDevice& device) override;
  std::optional<access::NetworkDevice> find(const std::string& name) const override;
  Result<std::vector<access::NetworkDevice>> list() const override;
  Status update_credentials(const std::string& name, const std::string& broker_password_hash,
                            const std::string& command_key, const std::string& login_hash) override;
  Status reserve_counter(const std::string& name, std::uint64_t up_to) override;
  Status remove(const std::string& name) override;

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace portier::store::sqlite
