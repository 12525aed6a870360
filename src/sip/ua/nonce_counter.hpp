#pragma once
// Replay protection for digest credentials: the highest nonce-count seen per nonce (qop=auth), or single use for
// nonces answered without qop. Entries are forgotten once their nonce has expired anyway; the table is bounded.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.hpp"

namespace portier::sip::ua {

class NonceCounter {
 public:
  NonceCounter(const Clock& clock, std::chrono::seconds lifetime, std::size_t max_entries = 200000)
      : clock_(clock), lifetime_(lifetime), max_entries_(max_entries) {}

  // True when `nc` is higher than any count used before with `nonce` (and records it). nc 0 means "no qop".
  bool accept(std::string_view nonce, std::uint32_t nc);
  void sweep();
  std::size_t size() const { return seen_.size(); }

 private:
  struct Entry {
    std::uint32_t nc;
    Clock::SteadyTime first_use;
  };
  const Clock& clock_;
  std::chrono::seconds lifetime_;
  std::size_t max_entries_;
  std::unordered_map<std::string, Entry> seen_;
};

}  // namespace portier::sip::ua
