#include "api/webrtc_control.hpp"

#include <string>

namespace portier::api {
namespace {

// The texts are what the browser shows after "error": keep them short and user-readable.
class WebRtcCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "webrtc"; }
  std::string message(int ev) const override {
    switch (static_cast<webrtc_errc>(ev)) {
      case webrtc_errc::disabled:
        return "WebRTC is disabled";
      case webrtc_errc::unknown_session:
        return "Session not found";
      case webrtc_errc::bad_request:
        return "Bad request";
      case webrtc_errc::no_common_codec:
        return "No common codec";
      case webrtc_errc::unknown_extension:
        return "Extension not found";
      case webrtc_errc::busy:
        return "Busy";
      case webrtc_errc::no_call:
        return "No call in progress";
      case webrtc_errc::not_ready:
        return "Session not ready";
      case webrtc_errc::unavailable:
        return "WebRTC service unavailable";
    }
    return "unknown WebRTC error";
  }
};

}  // namespace

const std::error_category& webrtc_category() {
  static const WebRtcCategory category;  // immutable
  return category;
}

}  // namespace portier::api
