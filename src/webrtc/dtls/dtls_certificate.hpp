#pragma once
// The DTLS identity of the process: one certificate and key, shared by every DtlsTransport through shared_ptr and
// immutable after creation (OpenSSL objects are only read, so sharing across transports is safe). Its SHA-256
// fingerprint goes into every local SDP as a=fingerprint.
#include <memory>
#include <string>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "base/result.hpp"
#include "webrtc/dtls/dtls_error.hpp"

namespace portier::webrtc {

class DtlsCertificate {
 public:
  // Self-signed ECDSA P-256 (prime256v1), random serial, CN "portier", valid from now-1 day for 30 days.
  static Result<std::shared_ptr<DtlsCertificate>> generate();
  static Result<std::shared_ptr<DtlsCertificate>> load(const std::string& cert_pem_file,
                                                       const std::string& key_pem_file);
  ~DtlsCertificate();
  DtlsCertificate(const DtlsCertificate&) = delete;
  DtlsCertificate& operator=(const DtlsCertificate&) = delete;

  // SHA-256 fingerprint as SDP wants it: upper-case hex pairs joined by ':' (no "sha-256 " prefix).
  const std::string& fingerprint() const { return fingerprint_; }
  X509* x509() const { return x509_; }
  EVP_PKEY* key() const { return key_; }
  std::string dump() const;

 private:
  DtlsCertificate(X509* x509, EVP_PKEY* key, std::string fingerprint);
  static Result<std::shared_ptr<DtlsCertificate>> adopt(X509* x509, EVP_PKEY* key);

  X509* x509_;      // owned (X509_free)
  EVP_PKEY* key_;   // owned (EVP_PKEY_free)
  std::string fingerprint_;
};

// Hex fingerprint of a peer certificate with the SDP hash name ("sha-256", "sha-1", "sha-384", "sha-512"; also
// "sha-224" and "md5" of RFC 4572's list). Upper-case hex pairs joined by ':'.
Result<std::string> certificate_fingerprint(X509* cert, std::string_view algorithm);

}  // namespace portier::webrtc
