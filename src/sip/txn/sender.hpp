#pragma once
// The downward interface of the transaction layer: put bytes on the wire towards a peer.
#include <string>

#include "sip/txn/peer.hpp"

namespace portier::sip::txn {

class Sender {
 public:
  virtual ~Sender() = default;
  // False when the message could not be handed to the OS (no such connection, socket error). Never throws.
  virtual bool send(const Peer& to, std::string data) = 0;
};

}  // namespace portier::sip::txn
