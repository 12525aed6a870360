#include "app/device_admin.hpp"

#include <fstream>
#include <stdexcept>

#include "base/error.hpp"
#include "base/random.hpp"
#include "device/mqtt/command_codec.hpp"

namespace portier::app {

device::mqtt::BrokerLayout broker_layout(const Config& config) { return {config.data_dir / "mqtt"}; }

PortierAccount portier_account(const Config& config) {
  const auto& m = config.mqtt;
  PortierAccount a{m.username, m.password};
  if (!m.password_file.empty()) {
    std::ifstream in(m.password_file);
    if (!in || !std::getline(in, a.password))
      throw std::runtime_error("mqtt.password_file: cannot read " + m.password_file.string());
    while (!a.password.empty() && (a.password.back() == '\r' || a.password.back() == '\n')) a.password.pop_back();
  }
  if (m.embedded_broker) {
    if (a.username.empty()) a.username = "portier";
    if (a.password.empty()) {
      auto pw = device::mqtt::embedded_portier_password(broker_layout(config));
      if (!pw) throw std::runtime_error("mqtt: " + pw.error().what());
      a.password = *pw;
    }
  }
  return a;
}

DeviceAdmin::DeviceAdmin(access::DeviceRepository& repo, const access::PasswordHasher& hasher, const Config& config)
    : repo_(repo), hasher_(hasher), config_(config), layout_(broker_layout(config)) {}

Result<api::DeviceCredentials> DeviceAdmin::credentials_for(access::NetworkDevice& d, const std::string& password) {
  api::DeviceCredentials c{{"device", d.name}, {"protocol", std::string(access::to_string(d.protocol))}};
  if (!password.empty() && (password.size() < 8 || password.size() > 128))
    return Error(errc::invalid_argument, "device password must be 8-128 characters");
  const std::string pw = password.empty() ? random_token(24) : password;
  if (d.protocol == access::DeviceProtocol::native) {
    d.broker_password_hash = device::mqtt::broker_password_hash(pw);
    d.command_key = random_hex(32);
    d.login_hash.clear();
    c["username"] = d.name;
    c["password"] = pw;
    c["command_key"] = d.command_key;
    c["broker"] = config_.mqtt.broker_address().host + ":" + std::to_string(config_.mqtt.broker_address().port);
  } else {
    auto hash = hasher_.hash(pw);
    if (!hash) return hash.error();
    d.login_hash = *hash;
    d.broker_password_hash.clear();
    d.command_key.clear();
    c["username"] = d.name;
    c["password"] = pw;  // the HTTP login password (/device_login?name&password)
  }
  return c;
}

Result<api::DeviceCredentials> DeviceAdmin::add(const std::string& name, const std::string& protocol,
                                                const std::string& password) {
  if (!device::mqtt::valid_device_name(name))
    return Error(errc::invalid_argument, "device names are 1-32 characters of a-z 0-9 _ -");
  if (name == "portier" || name == portier_account(config_).username)
    return Error(errc::invalid_argument, "'" + name + "' is Portier's own broker account");
  auto proto = access::parse_device_protocol(protocol);
  if (!proto) return proto.error();
  access::NetworkDevice d;
  d.name = name;
  d.protocol = *proto;
  auto creds = credentials_for(d, password);
  if (!creds) return creds;
  if (auto r = repo_.create(d); !r) return r.error();
  if (auto st = sync_broker_files(); !st) return st.error();
  return creds;
}

Result<api::DeviceCredentials> DeviceAdmin::rotate(const std::string& name, const std::string& password) {
  auto d = repo_.find(name);
  if (!d) return Error(errc::not_found, "no such device: " + name);
  auto creds = credentials_for(*d, password);
  if (!creds) return creds;
  if (auto st = repo_.update_credentials(name, d->broker_password_hash, d->command_key, d->login_hash); !st)
    return st.error();
  if (auto st = sync_broker_files(); !st) return st.error();
  return creds;
}

Status DeviceAdmin::remove(const std::string& name) {
  if (auto st = repo_.remove(name); !st) return st;
  if (auto st = sync_broker_files(); !st) return st.error();
  return {};
}

Result<std::vector<access::NetworkDevice>> DeviceAdmin::list() const { return repo_.list(); }

Result<bool> DeviceAdmin::sync_broker_files() {
  auto all = repo_.list();
  if (!all) return all.error();
  PortierAccount me;
  try {
    me = portier_account(config_);
  } catch (const std::exception& e) {
    return Error(errc::io_error, e.what());
  }
  device::mqtt::BrokerAccount account{me.username,
                                      me.password.empty() ? "" : device::mqtt::broker_password_hash(me.password)};
  if (auto st = device::mqtt::write_broker_files(layout_, account, *all); !st) return st.error();
  // Any broker whose pid_file is <data_dir>/mqtt/mosquitto.pid (the embedded one always) re-reads the files.
  return device::mqtt::signal_broker_reload(layout_);
}

}  // namespace portier::app
