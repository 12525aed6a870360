#pragma once
// Sans-IO DTLS 1.2 endpoint for DTLS-SRTP (RFC 5763/5764): OpenSSL over a memory read BIO and a write BIO that
// collects each record, so the owner (the WebRTC transport, which demultiplexes per RFC 7983 after ICE-lite) moves
// datagrams and drives retransmission timers. The owner holds the DtlsTransport by unique_ptr and implements its
// Listener; the certificate is shared by every transport of the process.
//
// Listener callbacks run synchronously inside start()/on_datagram()/on_timeout(); a listener must not destroy the
// transport from inside a callback (post the teardown instead). Never throws after construction.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <openssl/ssl.h>

#include "webrtc/dtls/dtls_certificate.hpp"
#include "webrtc/srtp/srtp_profile.hpp"

namespace portier::webrtc {

enum class DtlsRole { client, server };  // SDP a=setup: we answer "passive" -> server; "active" -> client

class DtlsTransport {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_dtls_send(std::span<const std::uint8_t> datagram) = 0;  // send to the peer (records of a flight)
    virtual void on_dtls_connected(const SrtpKeys& keys) = 0;  // handshake done, fingerprint verified, keys exported
    virtual void on_dtls_failed(const std::string& reason) = 0;  // handshake error, fingerprint mismatch, no profile
    virtual void on_dtls_closed() {}                             // close_notify received
  };

  static constexpr std::size_t kMtu = 1200;            // largest datagram we send (records are packed up to this)
  static constexpr std::size_t kMaxDatagram = 18432;   // larger input is dropped unread
  static constexpr std::chrono::milliseconds kInitialRetransmit{1000};  // RFC 6347 4.2.4.1
  // OpenSSL treats a timer with less than 15 ms left as expired and retransmits at once from inside the handshake,
  // so shorter timers would repeat a flight in a burst.
  static constexpr std::chrono::milliseconds kMinRetransmit{20};
  static constexpr std::chrono::milliseconds kMaxRetransmit{4000};      // doubling stops here; OpenSSL gives up
                                                                        // after 12 timeouts (~45 s)

  // The constructor only stores its arguments; OpenSSL objects are made in start().
  DtlsTransport(std::shared_ptr<DtlsCertificate> certificate, Listener& listener);
  ~DtlsTransport();
  DtlsTransport(const DtlsTransport&) = delete;
  DtlsTransport& operator=(const DtlsTransport&) = delete;

  // From the remote SDP's a=fingerprint ("sha-256", "AB:CD:..."). Checked against the peer certificate when the
  // handshake completes; a mismatch fails the transport (on_dtls_failed). Required before start().
  void set_remote_fingerprint(std::string algorithm, std::string value);
  // Profiles we offer (client) or accept (server), most preferred first. Default: AEAD_AES_128_GCM, AES128_CM_SHA1_80.
  // Before start(); an empty list offers none (the handshake then fails with "no SRTP profile").
  void set_srtp_profiles(std::vector<SrtpProfile> profiles);
  // First retransmission timeout, clamped to [kMinRetransmit, kMaxRetransmit] (doubles up to kMaxRetransmit).
  // Before start().
  void set_retransmit_timeout(std::chrono::milliseconds initial);

  void start(DtlsRole role);  // client: sends the ClientHello at once
  void on_datagram(std::span<const std::uint8_t> data);  // a DTLS record from the peer (after RFC 7983 demux)
  // When to call on_timeout() for retransmission (DTLSv1_get_timeout); nullopt when nothing is pending.
  std::optional<std::chrono::milliseconds> timeout() const;
  void on_timeout();
  void close();  // sends close_notify when connected; no listener call

  enum class State { idle, connecting, connected, failed, closed };
  State state() const { return state_; }
  std::optional<DtlsRole> role() const { return role_; }
  std::optional<SrtpProfile> profile() const { return profile_; }
  std::string dump() const;

  struct Counters {
    std::uint64_t datagrams_in = 0, datagrams_out = 0, dropped = 0, retransmits = 0, app_data = 0;
  };
  const Counters& counters() const { return counters_; }

 private:
  bool create_ssl();
  void drive_handshake();
  void read_records();
  void handshake_done();
  std::optional<std::string> check_peer_fingerprint(X509* peer) const;
  void flush(bool pack = false);  // hands out_ to the listener
  void fail(std::string reason);
  std::string ssl_failure(int ret);

  static int on_verify(X509_STORE_CTX* store, void* arg);
  static unsigned int on_timer(SSL* ssl, unsigned int timer_us);
  static int bio_write(BIO* bio, const char* data, int len);
  static long bio_ctrl(BIO* bio, int cmd, long num, void* ptr);

  std::shared_ptr<DtlsCertificate> certificate_;  // shared, immutable
  Listener& listener_;                            // the owner
  SSL_CTX* ctx_ = nullptr;                        // owned (SSL_CTX_free)
  SSL* ssl_ = nullptr;                            // owned (SSL_free); owns both BIOs
  BIO* rbio_ = nullptr;                           // memory BIO: the current datagram from the peer
  std::vector<std::vector<std::uint8_t>> out_;    // records written by OpenSSL since the last flush
  State state_ = State::idle;
  std::optional<DtlsRole> role_;
  std::optional<SrtpProfile> profile_;
  std::vector<SrtpProfile> profiles_{SrtpProfile::aead_aes_128_gcm, SrtpProfile::aes128_cm_sha1_80};
  std::string remote_algorithm_;
  std::string remote_fingerprint_;  // upper-case
  std::string verify_failure_;      // set by on_verify when the peer certificate does not match
  std::chrono::milliseconds initial_retransmit_ = kInitialRetransmit;
  Counters counters_;
};

std::string_view to_string(DtlsTransport::State state);

}  // namespace portier::webrtc
