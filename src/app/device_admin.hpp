#pragma once
// Device accounts (`portier device add|list|remove|rotate` and the admin API): creates and rotates credentials,
// keeps them in the DeviceRepository and rewrites the broker's passwd/acl files, then makes the embedded broker
// reload them (SIGHUP through its pid file). Used by the CLI (no server needed) and by MqttModule (the API).
#include <string>
#include <vector>

#include "access/network_device.hpp"
#include "access/password_hasher.hpp"
#include "api/device_control.hpp"
#include "app/config.hpp"
#include "device/mqtt/broker_files.hpp"

namespace portier::app {

// <data_dir>/mqtt.
device::mqtt::BrokerLayout broker_layout(const Config& config);

// Portier's own broker account: the configured one, or for the embedded broker "portier" with a generated password.
// Throws std::runtime_error when a password_file cannot be read.
struct PortierAccount {
  std::string username;
  std::string password;
};
PortierAccount portier_account(const Config& config);

class DeviceAdmin {
 public:
  DeviceAdmin(access::DeviceRepository& repo, const access::PasswordHasher& hasher, const Config& config);

  Result<api::DeviceCredentials> add(const std::string& name, const std::string& protocol,
                                     const std::string& password);
  Result<api::DeviceCredentials> rotate(const std::string& name, const std::string& password);
  Status remove(const std::string& name);
  Result<std::vector<access::NetworkDevice>> list() const;
  // Rewrites passwd/acl from the repository and signals the embedded broker. Returns whether a broker was signalled.
  Result<bool> sync_broker_files();

 private:
  Result<api::DeviceCredentials> credentials_for(access::NetworkDevice& d, const std::string& password);

  access::DeviceRepository& repo_;
  const access::PasswordHasher& hasher_;
  const Config& config_;
  device::mqtt::BrokerLayout layout_;
};

}  // namespace portier::app
