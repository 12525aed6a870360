#include "webrtc/dtls/dtls_transport.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "unit/webrtc/dtls_pair.hpp"

namespace portier::webrtc {
namespace {

using test::DtlsPair;
using State = DtlsTransport::State;

void expect_crosswise_keys(const DtlsPair& p, SrtpProfile profile) {
  ASSERT_TRUE(p.client_events.keys.has_value());
  ASSERT_TRUE(p.server_events.keys.has_value());
  const SrtpKeys& c = *p.client_events.keys;
  const SrtpKeys& s = *p.server_events.keys;
  EXPECT_EQ(c.profile, profile);
  EXPECT_EQ(s.profile, profile);
  EXPECT_EQ(c.local.size(), srtp_key_length(profile));
  EXPECT_EQ(c.remote.size(), srtp_key_length(profile));
  EXPECT_EQ(c.local, s.remote);
  EXPECT_EQ(c.remote, s.local);
  EXPECT_NE(c.local, c.remote);
}

TEST(DtlsTransport, HandshakePrefersGcm) {
  DtlsPair p;
  p.start();
  EXPECT_EQ(p.client.state(), State::connecting);
  EXPECT_FALSE(p.client_events.sent.empty()) << "the client sends its ClientHello at start";
  EXPECT_TRUE(p.server_events.sent.empty());
  p.pump();
  EXPECT_EQ(p.client.state(), State::connected) << p.client_events.failure.value_or("");
  EXPECT_EQ(p.server.state(), State::connected) << p.server_events.failure.value_or("");
  EXPECT_EQ(p.client_events.connected, 1);
  EXPECT_EQ(p.server_events.connected, 1);
  EXPECT_EQ(p.client.profile(), SrtpProfile::aead_aes_128_gcm);
  expect_crosswise_keys(p, SrtpProfile::aead_aes_128_gcm);
  EXPECT_NE(p.client.dump().find("state=connected"), std::string::npos);
}

TEST(DtlsTransport, HandshakeWithCmWhenTheClientOffersOnlyCm) {
  DtlsPair p;
  p.client.set_srtp_profiles({SrtpProfile::aes128_cm_sha1_80});
  p.start();
  p.pump();
  ASSERT_EQ(p.client.state(), State::connected) << p.client_events.failure.value_or("");
  ASSERT_EQ(p.server.state(), State::connected);
  EXPECT_EQ(p.server.profile(), SrtpProfile::aes128_cm_sha1_80);
  expect_crosswise_keys(p, SrtpProfile::aes128_cm_sha1_80);
}

TEST(DtlsTransport, ServerPreferenceWins) {
  DtlsPair p;
  p.client.set_srtp_profiles({SrtpProfile::aes128_cm_sha1_80, SrtpProfile::aead_aes_128_gcm});
  p.server.set_srtp_profiles({SrtpProfile::aes128_cm_sha1_80});
  p.start();
  p.pump();
  ASSERT_EQ(p.client.state(), State::connected);
  expect_crosswise_keys(p, SrtpProfile::aes128_cm_sha1_80);
}

TEST(DtlsTransport, DatagramsAreWithinTheMtu) {
  DtlsPair p;
  p.start();
  std::size_t largest = 0;
  while (!p.client_events.sent.empty() || !p.server_events.sent.empty()) {
    for (auto& d : p.client_events.sent) largest = std::max(largest, d.size());
    for (auto& d : p.server_events.sent) largest = std::max(largest, d.size());
    p.pump(1);
  }
  EXPECT_GT(largest, 0u);
  EXPECT_LE(largest, DtlsTransport::kMtu);
}

TEST(DtlsTransport, ClientRejectsAWrongServerFingerprint) {
  DtlsPair p;
  auto other = DtlsCertificate::generate().value();
  p.client.set_remote_fingerprint("sha-256", other->fingerprint());
  p.start();
  p.pump();
  EXPECT_EQ(p.client.state(), State::failed);
  ASSERT_TRUE(p.client_events.failure.has_value());
  EXPECT_NE(p.client_events.failure->find("fingerprint mismatch"), std::string::npos) << *p.client_events.failure;
  EXPECT_FALSE(p.client_events.keys.has_value());
  // The client's bad_certificate alert ends the server's handshake too; neither side exported keys.
  EXPECT_EQ(p.server.state(), State::failed);
  EXPECT_FALSE(p.server_events.keys.has_value());
}

TEST(DtlsTransport, ServerRejectsAWrongClientFingerprint) {
  DtlsPair p;
  std::string wrong = p.client_cert->fingerprint();
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  p.server.set_remote_fingerprint("sha-256", wrong);
  p.start();
  p.pump();
  EXPECT_EQ(p.server.state(), State::failed);
  ASSERT_TRUE(p.server_events.failure.has_value());
  EXPECT_NE(p.server_events.failure->find("fingerprint mismatch"), std::string::npos) << *p.server_events.failure;
  EXPECT_FALSE(p.server_events.keys.has_value());
  EXPECT_NE(p.client.state(), State::connected) << "the server's alert must reach the client";
}

TEST(DtlsTransport, FingerprintIsCaseInsensitiveAndAcceptsOtherHashes) {
  DtlsPair p;
  auto sha1 = certificate_fingerprint(p.server_cert->x509(), "sha-1");
  ASSERT_TRUE(sha1.ok());
  std::string lower = *sha1;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  p.client.set_remote_fingerprint("SHA-1", lower);
  p.start();
  p.pump();
  EXPECT_EQ(p.client.state(), State::connected) << p.client_events.failure.value_or("");
}

TEST(DtlsTransport, StartWithoutFingerprintFails) {
  auto cert = DtlsCertificate::generate().value();
  test::Recorder events;
  DtlsTransport t(cert, events);
  t.start(DtlsRole::client);
  EXPECT_EQ(t.state(), State::failed);
  EXPECT_EQ(events.failed, 1);
  EXPECT_TRUE(events.sent.empty());
}

TEST(DtlsTransport, UnknownFingerprintHashFails) {
  auto cert = DtlsCertificate::generate().value();
  test::Recorder events;
  DtlsTransport t(cert, events);
  t.set_remote_fingerprint("md4", "AB:CD");
  t.start(DtlsRole::server);
  EXPECT_EQ(t.state(), State::failed);
  ASSERT_TRUE(events.failure.has_value());
}

TEST(DtlsTransport, NoSrtpProfileFails) {
  DtlsPair p;
  p.client.set_srtp_profiles({});
  p.start();
  p.pump();
  EXPECT_EQ(p.client.state(), State::failed);
  EXPECT_EQ(p.server.state(), State::failed);
  ASSERT_TRUE(p.server_events.failure.has_value());
  EXPECT_NE(p.server_events.failure->find("SRTP"), std::string::npos) << *p.server_events.failure;
  EXPECT_EQ(p.server_events.connected, 0);
}

TEST(DtlsTransport, LostClientHelloIsRetransmittedAfterTimeout) {
  DtlsPair p;
  p.client.set_retransmit_timeout(std::chrono::milliseconds(20));
  p.start();
  ASSERT_FALSE(p.client_events.sent.empty());
  p.client_events.sent.clear();  // the network loses the ClientHello
  auto timeout = p.client.timeout();
  ASSERT_TRUE(timeout.has_value());
  EXPECT_LE(*timeout, std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));  // OpenSSL's DTLS timer reads the real clock
  p.client.on_timeout();
  ASSERT_FALSE(p.client_events.sent.empty()) << "the ClientHello is sent again";
  EXPECT_GE(p.client.counters().retransmits, 1u);
  p.pump();
  EXPECT_EQ(p.client.state(), State::connected);
  EXPECT_EQ(p.server.state(), State::connected);
  expect_crosswise_keys(p, SrtpProfile::aead_aes_128_gcm);
}

TEST(DtlsTransport, LostServerFlightIsRetransmitted) {
  DtlsPair p;
  p.server.set_retransmit_timeout(std::chrono::milliseconds(20));
  p.client.set_retransmit_timeout(std::chrono::milliseconds(20));
  p.start();
  while (!p.client_events.sent.empty()) {  // ClientHello reaches the server
    p.server.on_datagram(p.client_events.sent.front());
    p.client_events.sent.pop_front();
  }
  ASSERT_FALSE(p.server_events.sent.empty());
  p.server_events.sent.clear();  // the server's first flight is lost
  ASSERT_TRUE(p.server.timeout().has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  p.server.on_timeout();
  EXPECT_FALSE(p.server_events.sent.empty());
  p.pump();
  EXPECT_EQ(p.client.state(), State::connected);
  EXPECT_EQ(p.server.state(), State::connected);
}

TEST(DtlsTransport, GarbageDuringHandshakeIsIgnored) {
  DtlsPair p;
  p.start();
  // Not DTLS 1.x records (wrong version), a record longer than its datagram, an unknown content type at a future
  // epoch, plain noise: all are discarded silently. (A well-formed but bogus epoch-0 handshake record does end the
  // handshake, as in any DTLS stack; ICE consent keeps off-path senders away.)
  const std::vector<std::vector<std::uint8_t>> junk = {
      {22, 0x12, 0x34, 0, 0, 0, 0, 0, 0, 0, 9, 0, 3, 1, 2, 3},
      {22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 9, 0x40, 0, 1, 2, 3},
      {99, 254, 253, 0, 5, 0, 0, 0, 0, 0, 9, 0, 3, 1, 2, 3},
      std::vector<std::uint8_t>(64, 0xAB)};
  for (const auto& j : junk) {
    p.server.on_datagram(j);
    p.client.on_datagram(j);
  }
  p.server.on_datagram(std::vector<std::uint8_t>(DtlsTransport::kMaxDatagram + 1, 22));
  p.pump();
  EXPECT_EQ(p.client.state(), State::connected) << p.client_events.failure.value_or("");
  EXPECT_EQ(p.server.state(), State::connected) << p.server_events.failure.value_or("");
  EXPECT_GE(p.server.counters().dropped, 1u);
}

TEST(DtlsTransport, DatagramBeforeStartIsDropped) {
  DtlsPair p;
  p.client.start(DtlsRole::client);
  auto hello = p.client_events.sent.front();
  p.server.on_datagram(hello);
  EXPECT_EQ(p.server.state(), State::idle);
  EXPECT_EQ(p.server.counters().dropped, 1u);
  EXPECT_FALSE(p.server.timeout().has_value());
}

TEST(DtlsTransport, CloseNotifyReachesThePeer) {
  DtlsPair p;
  p.start();
  p.pump();
  ASSERT_EQ(p.server.state(), State::connected);
  p.client.close();
  EXPECT_EQ(p.client.state(), State::closed);
  p.pump();
  EXPECT_EQ(p.server.state(), State::closed);
  EXPECT_EQ(p.server_events.closed, 1);
  EXPECT_EQ(p.server_events.failed, 0);
  p.server.on_datagram(std::vector<std::uint8_t>{23, 254, 253});  // after close: dropped, no callback
  EXPECT_EQ(p.server_events.failed, 0);
}

TEST(DtlsTransport, RepeatedClientFinishedIsAnswered) {
  // The server's final flight is lost: the client retransmits its Finished flight and the (already connected)
  // server must send its final flight again.
  DtlsPair p;
  p.client.set_retransmit_timeout(std::chrono::milliseconds(20));
  p.start();
  for (int round = 0; round < 10 && p.server.state() != State::connected; ++round) {
    while (!p.client_events.sent.empty()) {
      p.server.on_datagram(p.client_events.sent.front());
      p.client_events.sent.pop_front();
    }
    if (p.server.state() == State::connected) break;
    while (!p.server_events.sent.empty()) {
      p.client.on_datagram(p.server_events.sent.front());
      p.server_events.sent.pop_front();
    }
  }
  ASSERT_EQ(p.server.state(), State::connected);
  ASSERT_NE(p.client.state(), State::connected);
  p.server_events.sent.clear();  // lost: ChangeCipherSpec + Finished
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  p.client.on_timeout();
  ASSERT_FALSE(p.client_events.sent.empty());
  p.pump();
  EXPECT_EQ(p.client.state(), State::connected);
  expect_crosswise_keys(p, SrtpProfile::aead_aes_128_gcm);
}

}  // namespace
}  // namespace portier::webrtc
