#include <string>

#include "webrtc/stun/stun_message.hpp"

namespace portier::webrtc::stun {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "stun"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::too_short:
        return "STUN message too short";
      case errc::not_stun:
        return "not a STUN message";
      case errc::bad_length:
        return "bad STUN message length";
      case errc::bad_attribute:
        return "malformed STUN attribute";
      case errc::bad_fingerprint:
        return "malformed STUN FINGERPRINT";
    }
    return "unknown STUN error";
  }
};

}  // namespace

const std::error_category& error_category() {
  static const Category category;  // immutable
  return category;
}

}  // namespace portier::webrtc::stun
