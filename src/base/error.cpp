#include "base/error.hpp"

#include <string>

namespace portier {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "portier"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::ok: return "ok";
      case errc::invalid_argument: return "invalid argument";
      case errc::not_found: return "not found";
      case errc::already_exists: return "already exists";
      case errc::permission_denied: return "permission denied";
      case errc::unauthenticated: return "authentication required";
      case errc::rate_limited: return "too many requests";
      case errc::conflict: return "conflict";
      case errc::too_large: return "too large";
      case errc::timeout: return "timed out";
      case errc::unavailable: return "unavailable";
      case errc::io_error: return "I/O error";
      case errc::internal: return "internal error";
    }
    return "unknown error";
  }
};

}  // namespace

const std::error_category& error_category() {
  static const Category category;  // immutable, so not "mutable global state"
  return category;
}

}  // namespace portier
