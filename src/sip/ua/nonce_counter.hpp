#pragma once
// Replay protection for digest credentials with fixed memory and O(1) work (no table that grows with traffic):
// every nonce carries a sequence index (NonceFactory), and a ring of slots remembers, per index modulo the ring
// size, the highest nonce-count used with that nonce and a fingerprint of the request that used it. A slot taken
// over by a newer nonce makes the older nonce stale, so the ring must hold more nonces than are issued within one
// nonce lifetime (2^18 slots: 870/s for 300 s); beyond that clients are merely re-challenged with stale=true,
// never let through twice. The fingerprint tells a retransmission (the very request again, e.g. a REGISTER whose
// 200 was lost, which a stateless registrar sees twice) from a replay.
#include <cstdint>
#include <string_view>
#include <vector>

namespace portier::sip::ua {

class NonceCounter {
 public:
  enum class Use {
    fresh,     // nc higher than any count used before with this nonce: recorded with the fingerprint
    repeated,  // the newest count again, from a request with the same fingerprint: a retransmission
    replayed,  // anything else: refuse
  };

  explicit NonceCounter(std::size_t slots_log2 = 18) : slots_(std::size_t{1} << slots_log2) {}

  // For the nonce whose index is `index`. nc 0 means "no qop": such nonces are single-use.
  Use use(std::uint32_t index, std::uint32_t nc, std::uint32_t fingerprint);
  std::size_t used() const { return used_; }

 private:
  struct Slot {
    std::uint32_t index = 0;
    std::uint32_t nc = 0;
    std::uint32_t fingerprint = 0;
    bool used = false;
  };
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

}  // namespace portier::sip::ua
