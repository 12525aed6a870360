#pragma once
// Small string helpers without allocation where possible.
#include <string>
#include <string_view>
#include <vector>

namespace portier {

std::string_view trim(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::vector<std::string_view> split(std::string_view s, char sep);
std::string to_lower(std::string_view s);
// Percent-decoding for URL paths and query strings ('+' becomes ' ' only when `plus_is_space`).
bool url_decode(std::string_view in, std::string& out, bool plus_is_space);

}  // namespace portier
