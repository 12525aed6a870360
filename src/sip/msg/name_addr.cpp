#include "sip/msg/name_addr.hpp"

#include "base/error.hpp"
#include "sip/msg/lexer.hpp"
#include "sip/msg/params.hpp"

namespace portier::sip::msg {
namespace {

// Display names without quotes are a sequence of tokens separated by LWS.
bool valid_unquoted_display(std::string_view d) {
  for (char c : d) {
    if (!is_token_char(c) && !is_lws(c)) return false;
  }
  return true;
}

Status parse_header_params(std::string_view rest, NameAddr& out) {
  rest = trim_lws(rest);
  if (rest.empty()) return {};
  if (rest.front() != ';') return Error(errc::invalid_argument, "garbage after address");
  if (!parse_params(rest)) return Error(errc::invalid_argument, "bad header parameters");
  out.params = rest;
  return {};
}

Result<NameAddr> parse_bracketed(std::string_view v, std::size_t open, NameAddr out) {
  const auto close = v.find('>', open);
  if (close == std::string_view::npos) return Error(errc::invalid_argument, "unterminated <uri>");
  out.uri_text = trim_lws(v.substr(open + 1, close - open - 1));
  auto uri = parse_uri(out.uri_text);
  if (!uri) return uri.error();
  out.uri = *uri;
  if (auto st = parse_header_params(v.substr(close + 1), out); !st) return st.error();
  return out;
}

}  // namespace

std::optional<std::string_view> NameAddr::param(std::string_view name) const { return find_param(params, name); }

std::string_view NameAddr::tag() const { return param("tag").value_or(std::string_view{}); }

std::string NameAddr::dump() const {
  return "NameAddr{display=\"" + std::string(display) + "\" uri=" + std::string(uri_text) +
         " params=" + std::string(params) + "}";
}

Result<NameAddr> parse_name_addr(std::string_view value) {
  auto v = trim_lws(value);
  if (v.empty()) return Error(errc::invalid_argument, "empty address");
  NameAddr out;
  if (v.front() == '"') {
    std::size_t i = 1;
    for (; i < v.size() && v[i] != '"'; ++i) {
      if (v[i] == '\\') ++i;
    }
    if (i >= v.size()) return Error(errc::invalid_argument, "unterminated display name");
    out.display = v.substr(1, i - 1);
    auto after = i + 1;
    while (after < v.size() && is_lws(v[after])) ++after;
    if (after >= v.size() || v[after] != '<') return Error(errc::invalid_argument, "display name without <uri>");
    return parse_bracketed(v, after, out);
  }
  if (const auto open = v.find('<'); open != std::string_view::npos) {
    out.display = trim_lws(v.substr(0, open));
    if (!valid_unquoted_display(out.display)) return Error(errc::invalid_argument, "bad display name");
    return parse_bracketed(v, open, out);
  }
  // addr-spec: parameters after the URI belong to the header, not to the URI (RFC 3261 §20).
  const auto semi = v.find(';');
  out.uri_text = trim_lws(v.substr(0, semi));
  if (out.uri_text.find_first_of("?, \t") != std::string_view::npos)
    return Error(errc::invalid_argument, "addr-spec must be in <> when it has headers");
  auto uri = parse_uri(out.uri_text);
  if (!uri) return uri.error();
  out.uri = *uri;
  if (semi != std::string_view::npos) {
    if (auto st = parse_header_params(v.substr(semi), out); !st) return st.error();
  }
  return out;
}

Result<ContactList> parse_contacts(const std::vector<std::string_view>& header_values) {
  ContactList list;
  for (auto raw : header_values) {
    auto items = split_top_level(raw, ',');
    if (!items) return Error(errc::invalid_argument, "unbalanced Contact value");
    for (auto item : *items) {
      if (item == "*") {
        list.star = true;
        continue;
      }
      auto na = parse_name_addr(item);
      if (!na) return Error(errc::invalid_argument, "bad Contact: " + na.error().what());
      list.contacts.push_back(*na);
    }
  }
  if (list.star && !list.contacts.empty()) return Error(errc::invalid_argument, "Contact * mixed with addresses");
  return list;
}

}  // namespace portier::sip::msg
