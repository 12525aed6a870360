#include "sip/ua/nonce_counter.hpp"

namespace portier::sip::ua {

bool NonceCounter::accept(std::string_view nonce, std::uint32_t nc) {
  auto it = seen_.find(std::string(nonce));
  if (it != seen_.end()) {
    if (nc == 0 || nc <= it->second.nc) return false;
    it->second.nc = nc;
    return true;
  }
  if (seen_.size() >= max_entries_) sweep();
  // Still full after a sweep: refusing makes the client fetch a fresh nonce (stale=true), it does not lock it out.
  if (seen_.size() >= max_entries_) return false;
  seen_.emplace(std::string(nonce), Entry{nc, clock_.steady_now()});
  return true;
}

void NonceCounter::sweep() {
  const auto cutoff = clock_.steady_now() - lifetime_ - std::chrono::seconds(10);
  std::erase_if(seen_, [&](const auto& kv) { return kv.second.first_use < cutoff; });
}

}  // namespace portier::sip::ua
