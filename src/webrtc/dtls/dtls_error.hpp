#pragma once
// DTLS failures that travel as values: certificate creation/loading and fingerprint computation. Handshake
// failures reach the owner through DtlsTransport::Listener::on_dtls_failed with a reason text instead.
#include <system_error>

namespace portier::webrtc {

enum class dtls_errc {
  ok = 0,
  certificate_generation = 1,  // OpenSSL could not create the key or the self-signed certificate
  certificate_load,            // a PEM file cannot be read or parsed
  key_mismatch,                // the private key does not belong to the certificate
  unknown_hash,                // an a=fingerprint hash name we do not support
};

const std::error_category& dtls_error_category();
inline std::error_code make_error_code(dtls_errc e) { return {static_cast<int>(e), dtls_error_category()}; }

}  // namespace portier::webrtc

template <>
struct std::is_error_code_enum<portier::webrtc::dtls_errc> : std::true_type {};
