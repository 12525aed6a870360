#include "webrtc/dtls/dtls_transport.hpp"

#include <algorithm>
#include <cctype>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "base/log.hpp"

namespace portier::webrtc {
namespace {

constexpr const char* kCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA";
constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp";  // RFC 5764 4.2

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// The write BIO: each BIO_write from OpenSSL is one DTLS record (or a record batch) appended to the transport's
// out_ queue; flush() hands them to the listener. Created once, immutable afterwards.
BIO_METHOD* make_write_method(int (*write)(BIO*, const char*, int), long (*ctrl)(BIO*, int, long, void*)) {
  BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "portier dtls out");
  if (m == nullptr) return nullptr;
  BIO_meth_set_write(m, write);
  BIO_meth_set_ctrl(m, ctrl);
  BIO_meth_set_create(m, [](BIO* b) {
    BIO_set_init(b, 1);
    return 1;
  });
  return m;
}

std::shared_ptr<spdlog::logger> logger() { return log::get("webrtc"); }

}  // namespace

std::string_view to_string(DtlsTransport::State state) {
  switch (state) {
    case DtlsTransport::State::idle:
      return "idle";
    case DtlsTransport::State::connecting:
      return "connecting";
    case DtlsTransport::State::connected:
      return "connected";
    case DtlsTransport::State::failed:
      return "failed";
    case DtlsTransport::State::closed:
      return "closed";
  }
  return "?";
}

DtlsTransport::DtlsTransport(std::shared_ptr<DtlsCertificate> certificate, Listener& listener)
    : certificate_(std::move(certificate)), listener_(listener) {}

DtlsTransport::~DtlsTransport() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
}

void DtlsTransport::set_remote_fingerprint(std::string algorithm, std::string value) {
  remote_algorithm_ = trim(std::move(algorithm));
  remote_fingerprint_ = upper(trim(std::move(value)));
}

void DtlsTransport::set_srtp_profiles(std::vector<SrtpProfile> profiles) { profiles_ = std::move(profiles); }

void DtlsTransport::set_retransmit_timeout(std::chrono::milliseconds initial) {
  initial_retransmit_ = std::clamp(initial, kMinRetransmit, kMaxRetransmit);
}

bool DtlsTransport::create_ssl() {
  ctx_ = SSL_CTX_new(DTLS_method());
  if (ctx_ == nullptr) return false;
  SSL_CTX_set_min_proto_version(ctx_, DTLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx_, DTLS1_2_VERSION);
  SSL_CTX_set_options(ctx_, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_OFF);
  // Both sides present a certificate; it is self-signed, so the only check is the SDP fingerprint (on_verify).
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  SSL_CTX_set_cert_verify_callback(ctx_, &DtlsTransport::on_verify, this);
  if (SSL_CTX_use_certificate(ctx_, certificate_->x509()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx_, certificate_->key()) != 1 || SSL_CTX_set_cipher_list(ctx_, kCiphers) != 1 ||
      SSL_CTX_set1_groups_list(ctx_, "X25519:P-256:P-384") != 1) {
    return false;
  }
  std::string profiles;
  for (SrtpProfile p : profiles_) {
    if (!profiles.empty()) profiles += ':';
    profiles += srtp_profile_name(p);
  }
  if (!profiles.empty() && SSL_CTX_set_tlsext_use_srtp(ctx_, profiles.c_str()) != 0) return false;  // 0 = success

  ssl_ = SSL_new(ctx_);
  if (ssl_ == nullptr) return false;
  SSL_set_app_data(ssl_, this);
  static BIO_METHOD* const write_method = make_write_method(&DtlsTransport::bio_write, &DtlsTransport::bio_ctrl);
  if (write_method == nullptr) return false;
  rbio_ = BIO_new(BIO_s_mem());
  BIO* wbio = BIO_new(write_method);
  if (rbio_ == nullptr || wbio == nullptr) {
    BIO_free(rbio_);
    BIO_free(wbio);
    rbio_ = nullptr;
    return false;
  }
  BIO_set_mem_eof_return(rbio_, -1);  // empty means "retry", not end of stream
  BIO_set_data(wbio, this);
  SSL_set_bio(ssl_, rbio_, wbio);  // ssl_ owns both from here
  SSL_set_mtu(ssl_, static_cast<long>(kMtu));
  DTLS_set_timer_cb(ssl_, &DtlsTransport::on_timer);
  return true;
}

void DtlsTransport::start(DtlsRole role) {
  if (state_ != State::idle) return;
  role_ = role;
  state_ = State::connecting;
  if (remote_algorithm_.empty() || remote_fingerprint_.empty()) return fail("no remote fingerprint");
  if (auto check = certificate_fingerprint(certificate_->x509(), remote_algorithm_); !check) {
    return fail(check.error().what());
  }
  ERR_clear_error();
  if (!create_ssl()) return fail("OpenSSL set-up failed: " + ssl_failure(0));
  if (role == DtlsRole::client) {
    SSL_set_connect_state(ssl_);
    drive_handshake();
  } else {
    SSL_set_accept_state(ssl_);
  }
}

void DtlsTransport::on_datagram(std::span<const std::uint8_t> data) {
  if (state_ != State::connecting && state_ != State::connected) {
    ++counters_.dropped;
    return;
  }
  if (data.empty() || data.size() > kMaxDatagram) {
    ++counters_.dropped;
    return;
  }
  ++counters_.datagrams_in;
  BIO_write(rbio_, data.data(), static_cast<int>(data.size()));
  if (state_ == State::connecting) {
    drive_handshake();
  } else {
    read_records();
  }
  // A datagram is read whole or not at all: what OpenSSL left (oversized garbage) must not prefix the next one.
  if (ssl_ != nullptr) BIO_reset(rbio_);
}

void DtlsTransport::drive_handshake() {
  ERR_clear_error();
  const int ret = SSL_do_handshake(ssl_);
  flush();  // the next flight, or the alert that ends the handshake
  if (ret == 1) return handshake_done();
  const int err = SSL_get_error(ssl_, ret);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return;
  fail(ssl_failure(ret));
}

void DtlsTransport::read_records() {
  std::uint8_t buf[2048];
  for (;;) {
    ERR_clear_error();
    const int n = SSL_read(ssl_, buf, sizeof buf);
    flush();  // e.g. our last flight again when the peer repeats its Finished
    if (n > 0) {
      ++counters_.app_data;  // no data channels: application data is counted and dropped
      continue;
    }
    const int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return;
    if (err == SSL_ERROR_ZERO_RETURN) {
      state_ = State::closed;
      logger()->debug("dtls: close_notify from the peer");
      listener_.on_dtls_closed();
      return;
    }
    return fail(ssl_failure(n));
  }
}

void DtlsTransport::handshake_done() {
  X509* peer = SSL_get0_peer_certificate(ssl_);  // owned by ssl_
  if (auto mismatch = check_peer_fingerprint(peer)) return fail(*mismatch);
  const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(ssl_);  // static in OpenSSL
  const auto profile = selected != nullptr ? srtp_profile_from_name(selected->name) : std::nullopt;
  if (!profile) return fail("no SRTP profile negotiated");

  // RFC 5764 4.2: client key, server key, client salt, server salt.
  const std::size_t key_len = srtp_master_key_length(*profile);
  const std::size_t salt_len = srtp_master_salt_length(*profile);
  std::vector<std::uint8_t> material(2 * (key_len + salt_len));
  if (SSL_export_keying_material(ssl_, material.data(), material.size(), kExporterLabel, sizeof kExporterLabel - 1,
                                 nullptr, 0, 0) != 1) {
    return fail("keying material export failed: " + ssl_failure(0));
  }
  const auto part = [&](std::size_t offset, std::size_t len) {
    return std::span<const std::uint8_t>(material).subspan(offset, len);
  };
  std::vector<std::uint8_t> client(part(0, key_len).begin(), part(0, key_len).end());
  client.insert(client.end(), part(2 * key_len, salt_len).begin(), part(2 * key_len, salt_len).end());
  std::vector<std::uint8_t> server(part(key_len, key_len).begin(), part(key_len, key_len).end());
  server.insert(server.end(), part(2 * key_len + salt_len, salt_len).begin(),
                part(2 * key_len + salt_len, salt_len).end());
  OPENSSL_cleanse(material.data(), material.size());

  SrtpKeys keys;
  keys.profile = *profile;
  const bool client_role = role_ == DtlsRole::client;
  keys.local = client_role ? std::move(client) : std::move(server);
  keys.remote = client_role ? std::move(server) : std::move(client);
  profile_ = profile;
  state_ = State::connected;
  logger()->debug("dtls: connected as {} with {} ({})", client_role ? "client" : "server",
                  srtp_profile_name(*profile), SSL_get_cipher_name(ssl_));
  listener_.on_dtls_connected(keys);
  OPENSSL_cleanse(keys.local.data(), keys.local.size());
  OPENSSL_cleanse(keys.remote.data(), keys.remote.size());
}

std::optional<std::string> DtlsTransport::check_peer_fingerprint(X509* peer) const {
  if (peer == nullptr) return "the peer sent no certificate";
  auto actual = certificate_fingerprint(peer, remote_algorithm_);
  if (!actual) return actual.error().what();
  if (*actual != remote_fingerprint_) return "fingerprint mismatch (" + remote_algorithm_ + " " + *actual + ")";
  return std::nullopt;
}

int DtlsTransport::on_verify(X509_STORE_CTX* store, void* arg) {
  auto* self = static_cast<DtlsTransport*>(arg);
  X509* peer = X509_STORE_CTX_get0_cert(store);  // the leaf the peer sent
  if (auto mismatch = self->check_peer_fingerprint(peer)) {
    self->verify_failure_ = *mismatch;
    X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
    return 0;  // OpenSSL sends a bad_certificate alert and the handshake fails
  }
  return 1;
}

unsigned int DtlsTransport::on_timer(SSL* ssl, unsigned int timer_us) {
  const auto* self = static_cast<const DtlsTransport*>(SSL_get_app_data(ssl));
  const auto initial = static_cast<unsigned int>(std::chrono::microseconds(self->initial_retransmit_).count());
  const auto max = static_cast<unsigned int>(std::chrono::microseconds(kMaxRetransmit).count());
  if (timer_us == 0) return initial;  // a new flight
  return std::min(timer_us * 2, max);
}

std::optional<std::chrono::milliseconds> DtlsTransport::timeout() const {
  if (ssl_ == nullptr || (state_ != State::connecting && state_ != State::connected)) return std::nullopt;
  timeval tv{};
  if (DTLSv1_get_timeout(ssl_, &tv) != 1) return std::nullopt;
  const auto us = std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec);
  return std::chrono::ceil<std::chrono::milliseconds>(us);
}

void DtlsTransport::on_timeout() {
  if (ssl_ == nullptr || (state_ != State::connecting && state_ != State::connected)) return;
  ERR_clear_error();
  const int ret = DTLSv1_handle_timeout(ssl_);
  if (ret > 0) ++counters_.retransmits;
  flush(true);
  if (ret < 0) fail("handshake timed out: " + ssl_failure(ret));
}

void DtlsTransport::close() {
  if (state_ == State::connected) {
    ERR_clear_error();
    SSL_shutdown(ssl_);
    flush();
  }
  if (state_ != State::failed) state_ = State::closed;
}

void DtlsTransport::flush(bool pack) {
  // During the handshake OpenSSL buffers a flight and writes it in MTU-sized pieces (one BIO_write per datagram, as
  // over a datagram socket), so each write travels alone: joining writes there could join a retransmitted old
  // flight to the next one, and OpenSSL drops what follows an old record in the same datagram. A timer
  // retransmission writes one record at a time, all of the same flight: those are packed up to the MTU.
  while (!out_.empty()) {
    std::vector<std::vector<std::uint8_t>> writes;
    writes.swap(out_);
    std::vector<std::uint8_t> datagram;
    for (auto& write : writes) {
      if (!datagram.empty() && (!pack || datagram.size() + write.size() > kMtu)) {
        ++counters_.datagrams_out;
        listener_.on_dtls_send(datagram);
        datagram.clear();
      }
      datagram.insert(datagram.end(), write.begin(), write.end());
    }
    ++counters_.datagrams_out;
    listener_.on_dtls_send(datagram);
  }
}

void DtlsTransport::fail(std::string reason) {
  if (state_ == State::failed || state_ == State::closed) return;
  state_ = State::failed;
  logger()->debug("dtls: failed: {}", reason);
  listener_.on_dtls_failed(reason);
}

std::string DtlsTransport::ssl_failure(int ret) {
  if (!verify_failure_.empty()) return verify_failure_;
  const unsigned long e = ERR_peek_last_error();
  std::string text;
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    text = buf;
  } else {
    text = "DTLS error (" + std::to_string(ret) + ")";
  }
  ERR_clear_error();
  return text;
}

int DtlsTransport::bio_write(BIO* bio, const char* data, int len) {
  auto* self = static_cast<DtlsTransport*>(BIO_get_data(bio));
  if (self == nullptr || len < 0) return -1;
  const auto* p = reinterpret_cast<const std::uint8_t*>(data);
  self->out_.emplace_back(p, p + len);
  return len;
}

long DtlsTransport::bio_ctrl(BIO* bio, int cmd, long num, void* ptr) {
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_WPENDING:
    case BIO_CTRL_PENDING:
      return 0;
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return static_cast<long>(kMtu);
    default:
      return 0;  // no peer address, no socket options: the owner does the I/O
  }
}

std::string DtlsTransport::dump() const {
  std::string s = "DtlsTransport{state=" + std::string(to_string(state_));
  if (role_) s += *role_ == DtlsRole::client ? " role=client" : " role=server";
  if (profile_) s += " profile=" + std::string(srtp_profile_name(*profile_));
  if (ssl_ != nullptr && state_ == State::connected) s += " cipher=" + std::string(SSL_get_cipher_name(ssl_));
  s += " remote=" + remote_algorithm_ + " " + remote_fingerprint_;
  s += " in=" + std::to_string(counters_.datagrams_in) + " out=" + std::to_string(counters_.datagrams_out) +
       " dropped=" + std::to_string(counters_.dropped) + " retransmits=" + std::to_string(counters_.retransmits) +
       " app_data=" + std::to_string(counters_.app_data) + "}";
  return s;
}

}  // namespace portier::webrtc
