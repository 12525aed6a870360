#include <cstdlib>
#include <memory>
#include <vector>

#include "fuzz_entries.hpp"
#include "webrtc/dtls/dtls_transport.hpp"
#include "webrtc/srtp/srtp_session.hpp"

namespace portier::fuzz {
namespace {

using namespace portier::webrtc;

struct NullListener : DtlsTransport::Listener {
  std::size_t sent = 0;
  void on_dtls_send(std::span<const std::uint8_t> d) override { sent += d.size(); }
  void on_dtls_connected(const SrtpKeys& keys) override {
    if (keys.local.size() != srtp_key_length(keys.profile)) std::abort();
  }
  void on_dtls_failed(const std::string&) override {}
};

// Generated once per process and only read afterwards (a key pair per input would dominate the run time).
const std::shared_ptr<DtlsCertificate>& certificate() {
  static const std::shared_ptr<DtlsCertificate> cert = DtlsCertificate::generate().value();
  return cert;
}

void feed_dtls(DtlsRole role, const std::uint8_t* data, std::size_t size) {
  NullListener listener;
  DtlsTransport transport(certificate(), listener);
  transport.set_remote_fingerprint("sha-256", certificate()->fingerprint());
  transport.start(role);
  std::size_t at = 0;
  while (at + 2 <= size) {
    const std::size_t len = std::min<std::size_t>((std::size_t{data[at]} << 8) | data[at + 1], size - at - 2);
    transport.on_datagram(std::span<const std::uint8_t>(data + at + 2, len));
    at += 2 + len;
    (void)transport.timeout();
  }
  (void)transport.dump();
  transport.on_timeout();
  transport.close();
}

// Bytes 0x10, 0x11, ... : seeds in fuzz/corpus/fuzz_dtls_srtp are protected with this key.
std::vector<std::uint8_t> fuzz_srtp_key(SrtpProfile profile) {
  std::vector<std::uint8_t> key(srtp_key_length(profile));
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(0x10 + i);
  return key;
}

void feed_srtp(SrtpProfile profile, const std::uint8_t* data, std::size_t size) {
  const auto key = fuzz_srtp_key(profile);
  auto session = SrtpSession::create(SrtpSession::Direction::inbound, profile, key);
  if (!session) std::abort();
  for (int kind = 0; kind < 2; ++kind) {
    std::vector<std::uint8_t> copy(data, data + size);
    auto r = kind == 0 ? (*session)->unprotect_rtp(copy.data(), copy.size())
                       : (*session)->unprotect_rtcp(copy.data(), copy.size());
    if (r && *r > size) std::abort();
  }
  (void)(*session)->dump();
}

}  // namespace

int dtls_srtp(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  switch (data[0] % 4) {
    case 0:
      feed_dtls(DtlsRole::server, data + 1, size - 1);
      break;
    case 1:
      feed_dtls(DtlsRole::client, data + 1, size - 1);
      break;
    case 2:
      feed_srtp(SrtpProfile::aes128_cm_sha1_80, data + 1, size - 1);
      break;
    default:
      feed_srtp(SrtpProfile::aead_aes_128_gcm, data + 1, size - 1);
      break;
  }
  return 0;
}

}  // namespace portier::fuzz
