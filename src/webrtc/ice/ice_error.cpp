#include "webrtc/ice/ice_error.hpp"

#include <string>

namespace portier::webrtc::ice {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "ice"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::ok:
        return "ok";
      case errc::malformed_candidate:
        return "malformed ICE candidate";
      case errc::unsupported_candidate:
        return "unusable ICE candidate";
    }
    return "unknown ICE error";
  }
};

}  // namespace

const std::error_category& error_category() {
  static const Category category;  // immutable
  return category;
}

}  // namespace portier::webrtc::ice
