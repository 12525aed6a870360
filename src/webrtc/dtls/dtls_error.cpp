#include "webrtc/dtls/dtls_error.hpp"

#include <string>

namespace portier::webrtc {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "dtls"; }
  std::string message(int ev) const override {
    switch (static_cast<dtls_errc>(ev)) {
      case dtls_errc::ok:
        return "ok";
      case dtls_errc::certificate_generation:
        return "cannot generate the DTLS certificate";
      case dtls_errc::certificate_load:
        return "cannot load the DTLS certificate or key";
      case dtls_errc::key_mismatch:
        return "the DTLS key does not match the certificate";
      case dtls_errc::unknown_hash:
        return "unsupported fingerprint hash";
    }
    return "unknown dtls error";
  }
};

}  // namespace

const std::error_category& dtls_error_category() {
  static const Category category;  // immutable
  return category;
}

}  // namespace portier::webrtc
