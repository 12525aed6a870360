#pragma once
// name-addr / addr-spec values of From, To, Contact, Route and Record-Route (RFC 3261 §20.10).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "sip/msg/uri.hpp"

namespace portier::sip::msg {

struct NameAddr {
  std::string_view display;   // without quotes; quoted-pairs kept
  std::string_view uri_text;  // the URI as written, without <>
  Uri uri;
  std::string_view params;    // header parameters (";tag=..;expires=.."), leading ';' included, or empty

  std::optional<std::string_view> param(std::string_view name) const;
  std::string_view tag() const;  // empty when absent
  std::string dump() const;
};

Result<NameAddr> parse_name_addr(std::string_view value);

// A Contact header set: either "*" or a list of addresses.
struct ContactList {
  bool star = false;
  std::vector<NameAddr> contacts;
};

// Parses all Contact header values (each may hold several comma-separated addresses).
Result<ContactList> parse_contacts(const std::vector<std::string_view>& header_values);

}  // namespace portier::sip::msg
