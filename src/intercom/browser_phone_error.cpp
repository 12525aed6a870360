#include "intercom/browser_phone_error.hpp"

namespace portier::intercom {
namespace {

class PhoneCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "browser_phone"; }
  std::string message(int c) const override {
    switch (static_cast<phone_errc>(c)) {
      case phone_errc::unknown_session: return "unknown WebRTC session";
      case phone_errc::bad_request: return "bad request";
      case phone_errc::no_common_codec: return "no common codec";
      case phone_errc::unknown_extension: return "unknown extension";
      case phone_errc::busy: return "busy";
      case phone_errc::no_call: return "no such call";
      case phone_errc::not_ready: return "the browser's SDP offer has not been accepted yet";
      case phone_errc::unavailable: return "service unavailable";
    }
    return "browser phone error";
  }
};

}  // namespace

const std::error_category& phone_category() {
  static const PhoneCategory category;
  return category;
}

}  // namespace portier::intercom
