#pragma once
// Logging set-up: one spdlog logger per subsystem ("http", "sip", "webrtc", ...), each with its own level, and an
// optional JSON-lines format. Loggers are created once at start-up by the composition root; modules fetch theirs with
// portier::log::get("name"). Never log passwords, tokens, cookies or SIP digests: use redact() on anything that
// might carry one.
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace portier::log {

struct Options {
  std::string level = "info";                       // default level for every subsystem
  std::map<std::string, std::string> subsystems;    // per-subsystem override, e.g. {"sip": "debug"}
  bool json = false;                                // JSON lines instead of text
  std::string file;                                 // empty: stderr
};

// Applies the options to every logger, existing and future. Throws std::invalid_argument on an unknown level.
void configure(const Options& options);
// The logger for a subsystem; created on first use with the configured level.
std::shared_ptr<spdlog::logger> get(const std::string& subsystem);
// True when `level` names a spdlog level ("trace", "debug", "info", "warn", "error", "critical", "off").
bool valid_level(std::string_view level);
// Replaces the value of sensitive fields (password=, token=, Authorization: ..., nonce/response of digests) with "***".
std::string redact(std::string_view text);

}  // namespace portier::log
