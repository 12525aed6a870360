#pragma once
// The mosquitto files Portier generates in <data_dir>/mqtt/: `passwd` (PBKDF2-SHA512 lines, mosquitto 2.0's `$7$`
// format), `acl` (each device may only read its own cmd topic and write its own ack/state/status; Portier's
// account may use portier/# and legacy/#; anonymous clients — legacy devices — may only read legacy/#), and, for
// the embedded broker, `mosquitto.conf`. Files are written to a temporary name and renamed, so a broker reloading
// (SIGHUP) never reads half a file.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "access/network_device.hpp"
#include "base/result.hpp"

namespace portier::device::mqtt {

// A mosquitto password-file hash of `password`: "$7$101$<salt b64>$<hash b64>".
std::string broker_password_hash(std::string_view password);

struct BrokerAccount {
  std::string username;
  std::string password_hash;  // broker_password_hash()
};

struct BrokerLayout {
  std::filesystem::path dir;  // <data_dir>/mqtt
  std::filesystem::path passwd() const { return dir / "passwd"; }
  std::filesystem::path acl() const { return dir / "acl"; }
  std::filesystem::path conf() const { return dir / "mosquitto.conf"; }
  std::filesystem::path pid() const { return dir / "mosquitto.pid"; }
  std::filesystem::path portier_password() const { return dir / "portier.password"; }
};

// The ACL text for Portier's account and the devices (exposed for tests).
std::string acl_text(const std::string& portier_user, const std::vector<access::NetworkDevice>& devices);

// Writes passwd and acl. `portier` may have an empty hash (an external broker whose account Portier does not know).
Status write_broker_files(const BrokerLayout& layout, const BrokerAccount& portier,
                          const std::vector<access::NetworkDevice>& devices);

struct EmbeddedBrokerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 1883;
  std::string legacy_host;  // empty: no anonymous listener for legacy devices
  std::uint16_t legacy_port = 0;
};
Status write_broker_conf(const BrokerLayout& layout, const EmbeddedBrokerConfig& config);

// Portier's own password for the embedded broker: read from the layout, created (random, 0600) on first use.
Result<std::string> embedded_portier_password(const BrokerLayout& layout);

// SIGHUP to the broker whose pid file the layout names (the embedded broker re-reads passwd and acl). False when
// there is no such broker running.
bool signal_broker_reload(const BrokerLayout& layout);

}  // namespace portier::device::mqtt
