#pragma once
// Two DtlsTransports wired back to back in memory: each side's datagrams queue up until pump() delivers them, so a
// test can drop, reorder or corrupt a flight.
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "webrtc/dtls/dtls_transport.hpp"

namespace portier::webrtc::test {

struct Recorder : DtlsTransport::Listener {
  std::deque<std::vector<std::uint8_t>> sent;
  std::optional<SrtpKeys> keys;
  std::optional<std::string> failure;
  int connected = 0, failed = 0, closed = 0;

  void on_dtls_send(std::span<const std::uint8_t> d) override { sent.emplace_back(d.begin(), d.end()); }
  void on_dtls_connected(const SrtpKeys& k) override {
    keys = k;
    ++connected;
  }
  void on_dtls_failed(const std::string& reason) override {
    failure = reason;
    ++failed;
  }
  void on_dtls_closed() override { ++closed; }
};

struct DtlsPair {
  std::shared_ptr<DtlsCertificate> client_cert = DtlsCertificate::generate().value();
  std::shared_ptr<DtlsCertificate> server_cert = DtlsCertificate::generate().value();
  Recorder client_events, server_events;
  DtlsTransport client{client_cert, client_events};
  DtlsTransport server{server_cert, server_events};

  DtlsPair() {
    client.set_remote_fingerprint("sha-256", server_cert->fingerprint());
    server.set_remote_fingerprint("sha-256", client_cert->fingerprint());
  }
  void start() {
    server.start(DtlsRole::server);
    client.start(DtlsRole::client);
  }
  // Delivers queued datagrams both ways until none is left; returns how many were delivered.
  int pump(int limit = 100) {
    int n = 0;
    while (n < limit && (!client_events.sent.empty() || !server_events.sent.empty())) {
      while (!client_events.sent.empty()) {
        auto d = std::move(client_events.sent.front());
        client_events.sent.pop_front();
        server.on_datagram(d);
        ++n;
      }
      while (!server_events.sent.empty()) {
        auto d = std::move(server_events.sent.front());
        server_events.sent.pop_front();
        client.on_datagram(d);
        ++n;
      }
    }
    return n;
  }
};

}  // namespace portier::webrtc::test
