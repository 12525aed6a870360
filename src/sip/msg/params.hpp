#pragma once
// Generic ";name=value" parameter lists as they follow URIs, name-addrs, Via and Contact values.
#include <optional>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace portier::sip::msg {

struct Param {
  std::string_view name;
  std::string_view value;  // quotes of a quoted-string value are kept
  bool has_value = false;
};

// Walks a parameter list without allocating, accepting exactly what parse_params() accepts:
//   ParamCursor c(params); Param p; while (c.next(p)) {...}   then c.ok() is false when the list is malformed.
class ParamCursor {
 public:
  explicit ParamCursor(std::string_view params) : params_(params) {}
  // The next parameter; false at the end or on the first error.
  bool next(Param& out);
  bool ok() const { return ok_; }

 private:
  std::string_view params_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// Parses "name[=value]" items separated by ';' (a leading ';' is allowed). Names must be tokens; values tokens,
// quoted strings or bracketed IPv6 references.
Result<std::vector<Param>> parse_params(std::string_view params);
// Value of the first parameter called `name` (case-insensitive); a value-less parameter yields an empty view,
// a quoted value is returned without its quotes. nullopt when absent or when the list does not parse.
std::optional<std::string_view> find_param(std::string_view params, std::string_view name);

}  // namespace portier::sip::msg
