#include "webrtc/srtp/srtp_error.hpp"

#include <string>

namespace portier::webrtc {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "srtp"; }
  std::string message(int ev) const override {
    switch (static_cast<srtp_errc>(ev)) {
      case srtp_errc::ok:
        return "ok";
      case srtp_errc::init_failed:
        return "libsrtp initialisation failed";
      case srtp_errc::bad_key:
        return "SRTP master key and salt of the wrong length";
      case srtp_errc::create_failed:
        return "cannot create the SRTP session";
      case srtp_errc::buffer_too_small:
        return "no room for the SRTP trailer";
      case srtp_errc::bad_packet:
        return "malformed SRTP packet";
      case srtp_errc::auth_failed:
        return "SRTP authentication failed";
      case srtp_errc::replay:
        return "SRTP replay";
      case srtp_errc::failed:
        return "SRTP error";
    }
    return "unknown srtp error";
  }
};

}  // namespace

const std::error_category& srtp_error_category() {
  static const Category category;  // immutable
  return category;
}

}  // namespace portier::webrtc
