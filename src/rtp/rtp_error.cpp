#include "rtp/rtp_error.hpp"

#include <string>

namespace portier::rtp {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "rtp"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::ok:
        return "ok";
      case errc::too_short:
        return "packet too short";
      case errc::bad_version:
        return "RTP version is not 2";
      case errc::bad_padding:
        return "bad padding";
      case errc::bad_length:
        return "RTCP length mismatch";
      case errc::not_rtcp:
        return "not an RTCP packet type";
      case errc::bad_value:
        return "field out of range";
    }
    return "unknown RTP error";
  }
};

}  // namespace

const std::error_category& error_category() {
  static const Category category;  // immutable
  return category;
}

}  // namespace portier::rtp
