#include "webrtc/dtls/dtls_certificate.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <regex>

#include <openssl/pem.h>

namespace portier::webrtc {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("portier-dtls-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

void write_pem(const fs::path& cert_file, const fs::path& key_file, const DtlsCertificate& c) {
  FILE* f = std::fopen(cert_file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  PEM_write_X509(f, c.x509());
  std::fclose(f);
  f = std::fopen(key_file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  PEM_write_PrivateKey(f, c.key(), nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
}

TEST(DtlsCertificate, GeneratesSelfSignedP256) {
  auto c = DtlsCertificate::generate();
  ASSERT_TRUE(c.ok()) << c.error().what();
  const DtlsCertificate& cert = **c;
  EXPECT_TRUE(std::regex_match(cert.fingerprint(), std::regex("([0-9A-F]{2}:){31}[0-9A-F]{2}"))) << cert.fingerprint();
  EXPECT_EQ(cert.fingerprint(), certificate_fingerprint(cert.x509(), "sha-256").value());
  EXPECT_EQ(EVP_PKEY_get_base_id(cert.key()), EVP_PKEY_EC);
  char group[64] = {0};
  size_t len = 0;
  ASSERT_EQ(EVP_PKEY_get_group_name(cert.key(), group, sizeof group, &len), 1);
  EXPECT_STREQ(group, "prime256v1");
  EXPECT_EQ(X509_check_private_key(cert.x509(), cert.key()), 1);
  EXPECT_EQ(X509_verify(cert.x509(), cert.key()), 1) << "self-signed";
  char cn[64] = {0};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert.x509()), NID_commonName, cn, sizeof cn);
  EXPECT_STREQ(cn, "portier");
  // Valid now, started about a day ago, ends in about 29 days.
  EXPECT_LT(X509_cmp_current_time(X509_get0_notBefore(cert.x509())), 0);
  EXPECT_GT(X509_cmp_current_time(X509_get0_notAfter(cert.x509())), 0);
  int days = 0, secs = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(cert.x509()), X509_get0_notAfter(cert.x509())), 1);
  EXPECT_EQ(days, 30);
  EXPECT_NE(cert.dump().find("portier"), std::string::npos);
}

TEST(DtlsCertificate, EachGenerationIsDifferent) {
  auto a = DtlsCertificate::generate().value();
  auto b = DtlsCertificate::generate().value();
  EXPECT_NE(a->fingerprint(), b->fingerprint());
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a->x509()), X509_get0_serialNumber(b->x509())), 0);
}

TEST(DtlsCertificate, FingerprintHashes) {
  auto c = DtlsCertificate::generate().value();
  EXPECT_EQ(certificate_fingerprint(c->x509(), "sha-1")->size(), 20u * 3 - 1);
  EXPECT_EQ(certificate_fingerprint(c->x509(), "sha-384")->size(), 48u * 3 - 1);
  EXPECT_EQ(certificate_fingerprint(c->x509(), "sha-512")->size(), 64u * 3 - 1);
  EXPECT_EQ(certificate_fingerprint(c->x509(), "SHA-256").value(), c->fingerprint());
  auto bad = certificate_fingerprint(c->x509(), "md5");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, dtls_errc::unknown_hash);
  EXPECT_FALSE(certificate_fingerprint(nullptr, "sha-256").ok());
}

TEST(DtlsCertificate, LoadsPemFiles) {
  TempDir dir;
  auto original = DtlsCertificate::generate().value();
  write_pem(dir.path / "cert.pem", dir.path / "key.pem", *original);
  auto loaded = DtlsCertificate::load(dir.path / "cert.pem", dir.path / "key.pem");
  ASSERT_TRUE(loaded.ok()) << loaded.error().what();
  EXPECT_EQ((*loaded)->fingerprint(), original->fingerprint());
}

TEST(DtlsCertificate, LoadRejectsMissingFilesGarbageAndForeignKeys) {
  TempDir dir;
  auto a = DtlsCertificate::generate().value();
  auto b = DtlsCertificate::generate().value();
  write_pem(dir.path / "a.pem", dir.path / "a.key", *a);
  write_pem(dir.path / "b.pem", dir.path / "b.key", *b);

  auto missing = DtlsCertificate::load(dir.path / "nope.pem", dir.path / "a.key");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, dtls_errc::certificate_load);

  auto garbage = DtlsCertificate::load(dir.path / "a.key", dir.path / "a.key");  // a key is not a certificate
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, dtls_errc::certificate_load);

  auto foreign = DtlsCertificate::load(dir.path / "a.pem", dir.path / "b.key");
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, dtls_errc::key_mismatch);
}

}  // namespace
}  // namespace portier::webrtc
