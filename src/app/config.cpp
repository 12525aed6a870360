// load_config(): reads the YAML file, walks it with the schema of config_sections.cpp, resolves relative paths.
#include "app/config.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <charconv>
#include <fstream>
#include <sstream>

#include "app/config_schema.hpp"
#include "app/config_sections.hpp"

namespace portier::app {
namespace {

constexpr std::uintmax_t kMaxConfigBytes = 1024 * 1024;

bool valid_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

bool valid_ipv6(std::string_view host) {
  const std::string address(host.substr(0, host.find('%')));  // a zone ("%eth0") is not part of the address
  unsigned char buf[16];
  return inet_pton(AF_INET6, address.c_str(), buf) == 1 && host.size() - address.size() != 1;
}

void resolve(std::filesystem::path& p, const std::filesystem::path& base) {
  if (!p.empty() && p.is_relative()) p = (base / p).lexically_normal();
}

// Paths in the file are relative to the file's folder, not to wherever Portier was started from.
void resolve_paths(Config& c, const std::filesystem::path& base) {
  resolve(c.data_dir, base);
  resolve(c.http.tls.cert, base);
  resolve(c.http.tls.key, base);
  resolve(c.http.web_root, base);
  resolve(c.logging.file, base);
  resolve(c.mqtt.password_file, base);
  resolve(c.mqtt.ca_file, base);
}

std::filesystem::path folder_of(const std::filesystem::path& file) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(file, ec);
  return ec ? file.parent_path() : absolute.parent_path();
}

void read_document(schema::Reader& r, const std::string& text, Config& config) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    r.error(e.mark, "", "YAML syntax error: " + e.msg);
    return;
  }
  if (docs.size() > 1) r.error(docs[1].Mark(), "", "only one YAML document is allowed, found " +
                                                       std::to_string(docs.size()));
  if (docs.empty() || docs[0].IsNull()) return;  // empty or only comments: every default
  const schema::Item root{docs[0], docs[0].Mark(), ""};
  if (!root.node.IsMap()) {
    r.error(root, "the top level must be a map of keys, got " + schema::describe(root.node));
    return;
  }
  config_schema().read(r, root, config);
}

}  // namespace

std::string ConfigError::format() const {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

log::Options LoggingConfig::to_options() const {
  log::Options o;
  o.level = level;
  // verbose_logging raises the default to debug; subsystems named explicitly keep their level.
  if (verbose_logging && level != "trace") o.level = "debug";
  o.subsystems = subsystems;
  o.json = json;
  o.file = file.string();
  return o;
}

bool parse_host_port(const std::string& text, HostPort& out) {
  std::string_view s = text;
  const auto colon = s.rfind(':');
  if (colon == std::string_view::npos) return false;
  std::string_view host = s.substr(0, colon);
  const std::string_view port_text = s.substr(colon + 1);
  if (!host.empty() && host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return false;
    host = host.substr(1, host.size() - 2);
    if (!valid_ipv6(host)) return false;
  } else if (!valid_host_name(host)) {
    return false;
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535)
    return false;
  out.host = std::string(host);
  out.port = static_cast<std::uint16_t>(port);
  return true;
}

ConfigLoad parse_config(const std::string& yaml_text, const std::filesystem::path& file) {
  const auto base = folder_of(file);
  schema::Reader reader(file.string(), base);
  Config config;
  config.source = file;
  read_document(reader, yaml_text, config);
  resolve_paths(config, base);
  ConfigLoad load;
  load.errors = reader.take_errors();
  if (load.errors.empty()) load.config = std::move(config);
  return load;
}

ConfigLoad load_config(const std::filesystem::path& file) {
  auto fail = [&](const std::string& why) {
    ConfigLoad load;
    load.errors.push_back(ConfigError{file.string(), 0, 0, why});
    return load;
  };
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) return fail("cannot read: is a directory");
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return fail("cannot read: " + ec.message());
  if (size > kMaxConfigBytes) return fail("cannot read: larger than 1 MiB");
  std::ifstream in(file, std::ios::binary);
  if (!in.is_open()) return fail(std::string("cannot read: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return fail("cannot read: input/output error");
  return parse_config(text.str(), file);
}

}  // namespace portier::app

namespace portier::app {

HostPort MqttConfig::broker_address() const {
  HostPort hp{"127.0.0.1", 1883};
  if (!broker.empty()) parse_host_port(broker, hp);
  return hp;
}

}  // namespace portier::app
