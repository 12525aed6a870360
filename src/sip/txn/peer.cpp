#include "sip/txn/peer.hpp"

namespace portier::sip::txn {

std::string_view protocol_name(Protocol p) {
  switch (p) {
    case Protocol::udp: return "UDP";
    case Protocol::tcp: return "TCP";
    case Protocol::tls: return "TLS";
  }
  return "UDP";
}

std::string Peer::to_string() const {
  std::string out = protocol == Protocol::udp ? "udp:" : protocol == Protocol::tcp ? "tcp:" : "tls:";
  const bool v6 = address.find(':') != std::string::npos;
  if (v6) out.push_back('[');
  out += address;
  if (v6) out.push_back(']');
  out.push_back(':');
  out += std::to_string(port);
  return out;
}

}  // namespace portier::sip::txn
