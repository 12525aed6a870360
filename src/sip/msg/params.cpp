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

bool ParamCursor::next(Param& out) {
  while (ok_ && pos_ < params_.size()) {
    // The next item ends at a ';' outside quoted strings and <...> (the split_top_level() rules).
    bool in_quote = false;
    bool in_angle = false;
    std::size_t i = pos_;
    for (; i < params_.size(); ++i) {
      const char c = params_[i];
      if (in_quote) {
        if (c == '\\') ++i;
        else if (c == '"') in_quote = false;
      } else if (in_angle) {
        if (c == '>') in_angle = false;
      } else if (c == '"') {
        in_quote = true;
      } else if (c == '<') {
        in_angle = true;
      } else if (c == ';') {
        break;
      }
    }
    if (in_quote || in_angle) {
      ok_ = false;  // unbalanced quote
      return false;
    }
    const auto item = trim_lws(params_.substr(pos_, i - pos_));
    pos_ = i + 1;
    if (item.empty()) continue;
    Param p;
    const auto eq = item.find('=');
    p.name = trim_lws(item.substr(0, eq));
    if (!is_token(p.name)) {
      ok_ = false;
      return false;
    }
    if (eq != std::string_view::npos) {
      p.value = trim_lws(item.substr(eq + 1));
      p.has_value = true;
      if (!valid_value(p.value)) {
        ok_ = false;
        return false;
      }
    }
    out = p;
    return true;
  }
  return false;
}

Result<std::vector<Param>> parse_params(std::string_view params) {
  std::vector<Param> out;
  ParamCursor cursor(params);
  Param p;
  while (cursor.next(p)) out.push_back(p);
  if (!cursor.ok()) return Error(errc::invalid_argument, "bad parameter list");
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
