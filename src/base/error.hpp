#pragma once
// Errors shared by every module. Modules with their own failure vocabulary declare their own errc enum and category.
#include <system_error>

namespace portier {

enum class errc {
  ok = 0,
  invalid_argument = 1,  // malformed input
  not_found,
  already_exists,
  permission_denied,
  unauthenticated,
  rate_limited,
  conflict,
  too_large,
  timeout,
  unavailable,  // a device, peer or store is down
  io_error,
  internal,
};

const std::error_category& error_category();
inline std::error_code make_error_code(errc e) { return {static_cast<int>(e), error_category()}; }

}  // namespace portier

template <>
struct std::is_error_code_enum<portier::errc> : std::true_type {};
