#include "webrtc/webrtc_error.hpp"

#include <string>

namespace portier::webrtc {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "webrtc"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::ok:
        return "ok";
      case errc::malformed_sdp:
        return "malformed SDP offer";
      case errc::no_audio:
        return "the offer has no audio stream";
      case errc::no_ice_credentials:
        return "the offer has no ICE credentials";
      case errc::no_fingerprint:
        return "the offer has no DTLS fingerprint";
      case errc::unsupported_transport:
        return "the audio stream is not UDP/TLS/RTP/SAVPF";
      case errc::no_rtcp_mux:
        return "the offer does not use rtcp-mux";
      case errc::no_common_codec:
        return "no common audio codec";
      case errc::unsupported_setup:
        return "DTLS setup role not supported";
      case errc::bad_candidate:
        return "unusable ICE candidate";
      case errc::not_ready:
        return "not ready";
      case errc::closed:
        return "endpoint closed";
      case errc::dtls_failed:
        return "DTLS handshake failed";
      case errc::consent_lost:
        return "ICE consent lost";
      case errc::ice_timeout:
        return "no ICE connectivity";
      case errc::srtp_failed:
        return "SRTP set-up failed";
      case errc::bad_digit:
        return "not a DTMF digit";
    }
    return "unknown webrtc error";
  }
};

}  // namespace

const std::error_category& error_category() {
  static const Category category;  // immutable
  return category;
}

}  // namespace portier::webrtc
