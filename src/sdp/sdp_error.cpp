#include "sdp/sdp_error.hpp"

#include <string>

namespace portier::sdp {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sdp"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::ok:
        return "ok";
      case errc::malformed:
        return "malformed SDP";
      case errc::no_common_codec:
        return "no common codec";
      case errc::unsupported:
        return "no acceptable media stream";
      case errc::too_large:
        return "SDP too large";
    }
    return "unknown SDP error";
  }
};

}  // namespace

const std::error_category& error_category() {
  static const Category category;  // immutable
  return category;
}

}  // namespace portier::sdp
