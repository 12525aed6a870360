// Reader: turns YAML nodes into typed values or ConfigErrors with 1-based positions.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "app/config_schema.hpp"
#include "base/strings.hpp"

namespace portier::app::schema {
namespace {

constexpr std::uintmax_t kMaxSecretFileBytes = 64 * 1024;

std::string strip_trailing_newlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

Reader::Reader(std::string file, std::filesystem::path base_dir)
    : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

void Reader::error(const YAML::Mark& mark, const std::string& path, const std::string& message) {
  ConfigError e;
  e.file = file_;
  if (!mark.is_null() && mark.line >= 0) {
    e.line = mark.line + 1;  // yaml-cpp counts from 0
    e.column = mark.column + 1;
  }
  e.message = path.empty() ? message : path + ": " + message;
  errors_.push_back(std::move(e));
}

std::vector<ConfigError> Reader::take_errors() {
  std::stable_sort(errors_.begin(), errors_.end(), [](const ConfigError& a, const ConfigError& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return std::move(errors_);
}

std::optional<Text> Reader::text(const Item& item) {
  const YAML::Node& n = item.node;
  if (n.IsScalar()) return Text{n.Scalar(), {}};
  if (n.IsMap() && n.size() == 1) {
    const auto entry = *n.begin();
    const std::string kind = entry.first.IsScalar() ? entry.first.Scalar() : "";
    if (kind == "file" || kind == "env") return secret(item, kind, entry.second);
  }
  if (n.IsNull()) {
    error(item, "expected a string, got nothing (write \"\" for an empty string)");
  } else {
    error(item, "expected a string, {file: PATH} or {env: NAME}, got " + describe(n));
  }
  return std::nullopt;
}

// {file: PATH} or {env: NAME}: the value lives outside the config file, so it can stay out of version control.
std::optional<Text> Reader::secret(const Item& item, const std::string& kind, const YAML::Node& arg) {
  if (!arg.IsScalar() || arg.Scalar().empty()) {
    error(item, "{" + kind + ": ...} needs a " + (kind == "env" ? "variable name" : "file path"));
    return std::nullopt;
  }
  const std::string& name = arg.Scalar();
  if (kind == "env") {
    const char* value = std::getenv(name.c_str());
    if (!value) {
      error(item, "environment variable " + name + " is not set");
      return std::nullopt;
    }
    return Text{value, "env " + name};
  }
  std::filesystem::path p = name;
  if (p.is_relative()) p = base_dir_ / p;
  std::error_code ec;
  const auto size = std::filesystem::file_size(p, ec);
  if (ec || size > kMaxSecretFileBytes) {
    error(item, "cannot read secret file " + p.string() + ": " + (ec ? ec.message() : "larger than 64 KiB"));
    return std::nullopt;
  }
  std::ifstream in(p, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (!in) {
    error(item, "cannot read secret file " + p.string() + ": " + std::strerror(errno));
    return std::nullopt;
  }
  return Text{strip_trailing_newlines(buf.str()), "file " + p.string()};
}

std::optional<Text> Reader::checked_text(const Item& item, const TextCheck& check) {
  auto t = text(item);
  if (!t || !check) return t;
  if (auto problem = check(t->value); !problem.empty()) {
    error(item, problem + ", got " + shown(*t));
    return std::nullopt;
  }
  return t;
}

std::optional<long long> Reader::integer(const Item& item, long long min, long long max) {
  if (!item.node.IsScalar()) {
    error(item, "expected an integer, got " + describe(item.node));
    return std::nullopt;
  }
  const std::string& s = item.node.Scalar();
  long long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  const bool all_digits = !s.empty() && end == s.data() + s.size();
  if (ec == std::errc::result_out_of_range || (ec == std::errc{} && all_digits && (v < min || v > max))) {
    error(item, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + s);
    return std::nullopt;
  }
  if (ec != std::errc{} || !all_digits) {
    error(item, "expected an integer, got " + describe(item.node));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> Reader::boolean(const Item& item) {
  if (item.node.IsScalar()) {
    const std::string s = to_lower(item.node.Scalar());
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  error(item, "expected true or false, got " + describe(item.node));
  return std::nullopt;
}

bool Reader::is_list(const Item& item) {
  if (item.node.IsSequence() || item.node.IsNull()) return true;
  error(item, "expected a list, got " + describe(item.node));
  return false;
}

void Reader::for_each_entry(const Item& map, const EntryFn& fn) {
  std::map<std::string, int> first_line;
  for (const auto& entry : map.node) {  // each entry is a temporary pair of node handles, kept alive here
    const YAML::Node& k = entry.first;
    const YAML::Node& v = entry.second;
    if (!k.IsScalar()) {
      error(k.Mark(), map.path, "keys must be plain names, got " + describe(k));
      continue;
    }
    const std::string path = join(map.path, k.Scalar());
    auto [pos, fresh] = first_line.emplace(k.Scalar(), k.Mark().line + 1);
    if (!fresh) {
      error(k.Mark(), path, "duplicate key (first given on line " + std::to_string(pos->second) + ")");
      continue;
    }
    // An empty value's mark points at the next token, possibly lines below: point at the key instead.
    fn(k.Scalar(), k.Mark(), Item{v, v.IsNull() ? k.Mark() : v.Mark(), path});
  }
}

void Reader::for_each_element(const Item& list, const std::function<void(const Item&)>& fn) {
  if (!list.node.IsSequence()) return;
  std::size_t i = 0;
  for (const auto& element : list.node) {
    fn(Item{element, element.Mark().is_null() ? list.mark : element.Mark(),
            list.path + "[" + std::to_string(i++) + "]"});
  }
}

bool read_host_port(Reader& r, const Item& it, HostPort& out) {
  auto t = r.text(it);
  if (!t) return false;
  HostPort hp;
  if (!parse_host_port(t->value, hp)) {
    r.error(it, "expected HOST:PORT (port 1..65535, IPv6 as [addr]:port), got " + shown(*t));
    return false;
  }
  out = hp;
  return true;
}

void read_string_list(Reader& r, const Item& it, std::vector<std::string>& out, const TextCheck& check) {
  if (!r.is_list(it)) return;
  std::vector<std::string> items;
  r.for_each_element(it, [&](const Item& element) {
    if (auto t = r.checked_text(element, check)) items.push_back(t->value);
  });
  out = std::move(items);
}

void read_string_map(Reader& r, const Item& it, std::map<std::string, std::string>& out, const TextCheck& key_check,
                     const TextCheck& value_check) {
  if (it.node.IsNull()) return;
  if (!it.node.IsMap()) {
    r.error(it, "expected a map, got " + describe(it.node));
    return;
  }
  std::map<std::string, std::string> entries;
  r.for_each_entry(it, [&](const std::string& key, const YAML::Mark& key_mark, const Item& value) {
    if (auto problem = key_check ? key_check(key) : ""; !problem.empty()) {
      r.error(key_mark, value.path, problem);
      return;
    }
    if (auto t = r.checked_text(value, value_check)) entries[key] = t->value;
  });
  out = std::move(entries);
}

std::string join(std::string_view prefix, std::string_view key) {
  if (prefix.empty()) return std::string(key);
  std::string s(prefix);
  s += '.';
  s += key;
  return s;
}

std::string quote(std::string_view text) {
  std::string s = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') s += '\\';
    s += c;
  }
  return s + "\"";
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      return s.size() > 60 ? quote(s.substr(0, 57) + "...") : quote(s);
    }
    default:
      return "nothing";
  }
}

std::string shown(const Text& text) {
  return text.source.empty() ? quote(text.value) : "the value from " + text.source;
}

std::string seconds_text(long long seconds) {
  struct Unit {
    long long size;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{86400, "d"}, {3600, "h"}, {60, "min"}};
  for (const auto& u : kUnits) {
    if (seconds >= u.size && seconds % u.size == 0)
      return std::to_string(seconds) + " (" + std::to_string(seconds / u.size) + " " + u.name + ")";
  }
  return std::to_string(seconds);
}

std::string host_port_text(const HostPort& hp) {
  const bool v6 = hp.host.find(':') != std::string::npos;
  return (v6 ? "[" + hp.host + "]" : hp.host) + ":" + std::to_string(hp.port);
}

std::string list_text(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return "[" + s + "]";
}

Item child(const Item& map, std::string_view key) {
  if (map.node.IsMap()) {
    for (const auto& entry : map.node) {
      if (entry.first.IsScalar() && entry.first.Scalar() == key) {
        const YAML::Node& v = entry.second;
        return Item{v, v.IsNull() ? entry.first.Mark() : v.Mark(), join(map.path, key)};
      }
    }
  }
  return Item{map.node, map.mark, join(map.path, key)};
}

}  // namespace portier::app::schema
