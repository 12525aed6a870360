#include "sip/msg/params.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "sip/msg/lexer.hpp"

namespace portier::sip::msg {
namespace {

bool valid_value(std::string_view v) {
  if (v.empty()) return false;
  if (v.front() == '"') return quoted_content(v).has_value();
  if (v.front() == '[') return v.back() == ']' && v.size() > 2;
  for (char c : v) {
    // Token characters plus what URI parameters may carry (paramchar, RFC 3261 §25.1), escaped included.
    if (is_token_char(c)) continue;
    switch (c) {
      case '[': case ']': case '/': case ':': case '&': case '$': case '(': case ')': case '@': case '?':
      case '=': case ',': case '<': case '>':
        continue;
      default:
        return false;
    }
  }
  return true;
}

}  // namespace

Result<std::vector<Param>> parse_params(std::string_view params) {
  auto items = split_top_level(params, ';');
  if (!items) return Error(errc::invalid_argument, "unbalanced quote in parameters");
  std::vector<Param> out;
  out.reserve(items->size());
  for (auto item : *items) {
    Param p;
    const auto eq = item.find('=');
    p.name = trim_lws(item.substr(0, eq));
    if (!is_token(p.name)) return Error(errc::invalid_argument, "bad parameter name");
    if (eq != std::string_view::npos) {
      p.value = trim_lws(item.substr(eq + 1));
      p.has_value = true;
      if (!valid_value(p.value)) return Error(errc::invalid_argument, "bad parameter value");
    }
    out.push_back(p);
  }
  return out;
}

std::optional<std::string_view> find_param(std::string_view params, std::string_view name) {
  // Hot path (branch, tag, rport on every message): walk the list without allocating, but accept only what
  // parse_params() accepts.
  std::optional<std::string_view> found;
  std::size_t start = 0;
  bool ok = true;
  const auto check = [&](std::string_view item) {
    item = trim_lws(item);
    if (item.empty()) return;
    const auto eq = item.find('=');
    const auto n = trim_lws(item.substr(0, eq));
    if (!is_token(n)) {
      ok = false;
      return;
    }
    std::string_view v;
    if (eq != std::string_view::npos) {
      v = trim_lws(item.substr(eq + 1));
      if (!valid_value(v)) {
        ok = false;
        return;
      }
    } else {
      v = std::string_view(n.data() + n.size(), 0);
    }
    if (!found && iequals(n, name)) found = quoted_content(v).value_or(v);
  };
  for (std::size_t i = 0; i <= params.size(); ++i) {
    if (i == params.size() || params[i] == ';') {
      check(params.substr(start, i - start));
      start = i + 1;
    } else if (params[i] == '"') {
      ++i;
      while (i < params.size() && params[i] != '"') i += params[i] == '\\' ? 2 : 1;
      if (i >= params.size()) return std::nullopt;
    }
  }
  if (!ok) return std::nullopt;
  return found;
}

}  // namespace portier::sip::msg
