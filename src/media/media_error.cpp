#include "media/media_error.hpp"

#include <string>

namespace portier::media {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "media"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::ok:
        return "ok";
      case errc::port_range_exhausted:
        return "RTP port range exhausted";
      case errc::bind_failed:
        return "cannot bind the RTP address";
      case errc::invalid_address:
        return "invalid media address";
      case errc::no_destination:
        return "no media destination";
      case errc::busy:
        return "too many queued events";
      case errc::codec_error:
        return "codec error";
      case errc::corrupt_packet:
        return "corrupt media packet";
      case errc::bad_frame:
        return "bad audio frame size";
    }
    return "unknown media error";
  }
};

}  // namespace

const std::error_category& error_category() {
  static const Category category;  // immutable
  return category;
}

}  // namespace portier::media
