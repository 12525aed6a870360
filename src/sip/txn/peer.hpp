#pragma once
// Where a message came from or goes to. Plain data (no Asio types) so that transactions are tested without sockets.
#include <cstdint>
#include <string>
#include <string_view>

namespace portier::sip::txn {

enum class Protocol : std::uint8_t { udp, tcp, tls };

std::string_view protocol_name(Protocol p);  // "UDP", "TCP", "TLS" as in Via

struct Peer {
  Protocol protocol = Protocol::udp;
  std::string address;           // numeric IP, no brackets
  std::uint16_t port = 0;
  std::uint64_t connection = 0;  // stream connection id, 0 for UDP or "any"
  std::size_t local = 0;         // index of the local socket/listener in the TransportLayer

  bool reliable() const { return protocol != Protocol::udp; }
  std::string to_string() const;  // "udp:1.2.3.4:5060"
};

}  // namespace portier::sip::txn
