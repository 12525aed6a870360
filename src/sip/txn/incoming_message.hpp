#pragma once
// A received message together with the bytes it views and where it came from.
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "sip/msg/message.hpp"
#include "sip/msg/parser.hpp"
#include "sip/txn/peer.hpp"

namespace portier::sip::txn {

struct IncomingMessage {
  std::unique_ptr<std::string> buffer;  // owns the bytes `message` points into; never reallocated
  msg::Message message;
  Peer source;
  // For requests: the top Via rewritten with received/rport (RFC 3581), to be used in responses.
  std::string top_via;

  std::string dump() const;
};

// Copies `data`, parses it and prepares top_via. Parse errors come back as values.
Result<IncomingMessage> make_incoming(std::string_view data, const Peer& source, const msg::Limits& limits = {});

// The top Via of `via_value` (one Via, unparsed) with received= and rport= set for `source` (RFC 3581 §4).
std::string stamp_via(const msg::Via& via, const Peer& source);

}  // namespace portier::sip::txn
