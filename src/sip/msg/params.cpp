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
  auto list = parse_params(params);
  if (!list) return std::nullopt;
  for (const auto& p : *list) {
    if (!iequals(p.name, name)) continue;
    if (!p.has_value) return std::string_view(p.name.data() + p.name.size(), 0);
    if (auto q = quoted_content(p.value)) return q;
    return p.value;
  }
  return std::nullopt;
}

}  // namespace portier::sip::msg
