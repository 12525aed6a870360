#include "base/log.hpp"

#include <mutex>
#include <regex>
#include <stdexcept>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace portier::log {
namespace {

// spdlog keeps its registry process-wide; these settings are written once at start-up (and by tests) and read when
// a subsystem's logger is first made. The mutex makes that safe for a library thread that logs early.
struct State {
  std::mutex mu;
  Options options;
  spdlog::sink_ptr sink;
};

State& state() {
  static State s;
  return s;
}

spdlog::level::level_enum parse_level(const std::string& name) {
  auto lvl = spdlog::level::from_str(name);
  if (lvl == spdlog::level::off && name != "off") throw std::invalid_argument("unknown log level: " + name);
  return lvl;
}

void apply(spdlog::logger& logger, const Options& o, const spdlog::sink_ptr& sink) {
  logger.sinks().clear();
  logger.sinks().push_back(sink);
  auto it = o.subsystems.find(logger.name());
  logger.set_level(parse_level(it != o.subsystems.end() ? it->second : o.level));
  if (o.json) {
    logger.set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","subsystem":"%n","msg":"%v"})",
                       spdlog::pattern_time_type::utc);
  } else {
    logger.set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
  }
  logger.flush_on(spdlog::level::warn);
}

}  // namespace

bool valid_level(std::string_view level) {
  for (auto l : {"trace", "debug", "info", "warn", "warning", "error", "err", "critical", "off"})
    if (level == l) return true;
  return false;
}

void configure(const Options& options) {
  parse_level(options.level);
  for (auto& [name, lvl] : options.subsystems) parse_level(lvl);
  auto& s = state();
  std::lock_guard lock(s.mu);
  s.options = options;
  if (options.file.empty())
    s.sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  else
    s.sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file);
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) { apply(*l, s.options, s.sink); });
}

std::shared_ptr<spdlog::logger> get(const std::string& subsystem) {
  auto& s = state();
  std::lock_guard lock(s.mu);
  if (auto existing = spdlog::get(subsystem)) return existing;
  if (!s.sink) s.sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(subsystem, s.sink);
  apply(*logger, s.options, s.sink);
  spdlog::register_logger(logger);
  return logger;
}

std::string redact(std::string_view text) {
  static const std::regex kv(R"(((?:password|passwd|secret|token|csrf_token|nonce|response|cnonce)\s*[=:]\s*"?)[^"&,\s]+)",
                             std::regex::icase);
  static const std::regex auth(R"(((?:Authorization|Proxy-Authorization|Cookie|Set-Cookie)\s*:\s*)[^\r\n]*)",
                               std::regex::icase);
  std::string out = std::regex_replace(std::string(text), auth, "$1***");
  return std::regex_replace(out, kv, "$1***");
}

}  // namespace portier::log
