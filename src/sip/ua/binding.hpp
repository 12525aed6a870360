#pragma once
// One registered contact of an extension (RFC 3261 §10.3; RFC 5626 instance/reg-id).
#include <cstdint>
#include <string>

#include "base/clock.hpp"
#include "sip/txn/peer.hpp"

namespace portier::sip::ua {

struct Binding {
  std::string aor;               // extension number
  std::string contact;           // Contact URI as sent
  std::string instance;          // +sip.instance without quotes, empty when absent
  std::uint32_t reg_id = 0;      // 0 when absent
  std::uint16_t q_milli = 1000;  // q=0.5 -> 500
  std::string call_id;
  std::uint32_t cseq = 0;
  Clock::SystemTime expires_at;
  txn::Peer source;              // where the REGISTER came from (received/rport): reach NATed clients here
  std::string user_agent;

  // Identity within the AOR: instance + reg-id when present, else the normalised contact URI.
  std::string key() const;
  // Contact host/port differ from the source address: the client is behind NAT.
  bool behind_nat() const;
  std::string dump() const;
};

}  // namespace portier::sip::ua
