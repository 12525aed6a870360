#include "webrtc/dtls/dtls_certificate.hpp"

#include <cctype>
#include <memory>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

namespace portier::webrtc {
namespace {

constexpr long kDay = 24L * 60 * 60;

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// The last OpenSSL error of this thread as text (and the queue cleared), for messages.
std::string openssl_error() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

const EVP_MD* digest_for(std::string_view algorithm) {
  std::string name;
  for (char c : algorithm) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "sha-256") return EVP_sha256();
  if (name == "sha-1") return EVP_sha1();
  if (name == "sha-384") return EVP_sha384();
  if (name == "sha-512") return EVP_sha512();
  if (name == "sha-224") return EVP_sha224();
  return nullptr;
}

bool set_random_serial(X509* x509) {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return false;
  bytes[0] &= 0x7f;  // a positive INTEGER
  bytes[0] |= 0x01;  // and never zero
  std::unique_ptr<BIGNUM, BnFree> bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  return bn && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(x509)) != nullptr;
}

bool set_name(X509* x509) {
  X509_NAME* name = X509_get_subject_name(x509);  // owned by x509
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("portier"), -1,
                                 -1, 0) != 1) {
    return false;
  }
  return X509_set_issuer_name(x509, name) == 1;
}

}  // namespace

DtlsCertificate::DtlsCertificate(X509* x509, EVP_PKEY* key, std::string fingerprint)
    : x509_(x509), key_(key), fingerprint_(std::move(fingerprint)) {}

DtlsCertificate::~DtlsCertificate() {
  X509_free(x509_);
  EVP_PKEY_free(key_);
}

Result<std::shared_ptr<DtlsCertificate>> DtlsCertificate::adopt(X509* x509, EVP_PKEY* key) {
  X509Ptr cert(x509);
  PkeyPtr pkey(key);
  auto fingerprint = certificate_fingerprint(cert.get(), "sha-256");
  if (!fingerprint) return fingerprint.error();
  return std::shared_ptr<DtlsCertificate>(new DtlsCertificate(cert.release(), pkey.release(), *fingerprint));
}

Result<std::shared_ptr<DtlsCertificate>> DtlsCertificate::generate() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return Error(dtls_errc::certificate_generation, "EC key: " + openssl_error());
  X509Ptr cert(X509_new());
  if (!cert) return Error(dtls_errc::certificate_generation, openssl_error());
  // Valid from a day ago (peers with a slow clock) for 30 days; a restart makes a new one.
  const bool ok = X509_set_version(cert.get(), 2) == 1 && set_random_serial(cert.get()) &&
                  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kDay) != nullptr &&
                  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 29 * kDay) != nullptr &&
                  X509_set_pubkey(cert.get(), key.get()) == 1 && set_name(cert.get()) &&
                  X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
  if (!ok) return Error(dtls_errc::certificate_generation, "certificate: " + openssl_error());
  return adopt(cert.release(), key.release());
}

Result<std::shared_ptr<DtlsCertificate>> DtlsCertificate::load(const std::string& cert_pem_file,
                                                               const std::string& key_pem_file) {
  std::unique_ptr<BIO, BioFree> cert_bio(BIO_new_file(cert_pem_file.c_str(), "r"));
  if (!cert_bio) return Error(dtls_errc::certificate_load, "cannot open " + cert_pem_file);
  X509Ptr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return Error(dtls_errc::certificate_load, cert_pem_file + ": " + openssl_error());
  std::unique_ptr<BIO, BioFree> key_bio(BIO_new_file(key_pem_file.c_str(), "r"));
  if (!key_bio) return Error(dtls_errc::certificate_load, "cannot open " + key_pem_file);
  PkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!key) return Error(dtls_errc::certificate_load, key_pem_file + ": " + openssl_error());
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return Error(dtls_errc::key_mismatch, key_pem_file + " does not match " + cert_pem_file);
  }
  return adopt(cert.release(), key.release());
}

std::string DtlsCertificate::dump() const {
  char subject[256] = {0};
  X509_NAME_oneline(X509_get_subject_name(x509_), subject, sizeof subject);
  return "DtlsCertificate{" + std::string(subject) + " key=" + OBJ_nid2sn(EVP_PKEY_get_base_id(key_)) +
         " sha-256 " + fingerprint_ + "}";
}

Result<std::string> certificate_fingerprint(X509* cert, std::string_view algorithm) {
  const EVP_MD* md = digest_for(algorithm);
  if (md == nullptr) return Error(dtls_errc::unknown_hash, "unsupported fingerprint hash " + std::string(algorithm));
  if (cert == nullptr) return Error(dtls_errc::certificate_load, "no certificate");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, md, digest, &len) != 1) return Error(dtls_errc::certificate_load, openssl_error());
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(len * 3);
  for (unsigned int i = 0; i < len; ++i) {
    if (i != 0) out += ':';
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0f];
  }
  return out;
}

}  // namespace portier::webrtc
