#include "sip/ua/nonce_counter.hpp"

namespace portier::sip::ua {

NonceCounter::Use NonceCounter::use(std::uint32_t index, std::uint32_t nc, std::uint32_t fingerprint) {
  auto& slot = slots_[index & (slots_.size() - 1)];
  if (slot.used && slot.index == index) {
    if (nc == slot.nc && fingerprint == slot.fingerprint) return Use::repeated;
    if (nc == 0 || nc <= slot.nc) return Use::replayed;
    slot.nc = nc;
    slot.fingerprint = fingerprint;
    return Use::fresh;
  }
  // Signed distance copes with the index wrapping around.
  if (slot.used && static_cast<std::int32_t>(slot.index - index) > 0) return Use::replayed;  // a newer nonce's slot
  if (!slot.used) ++used_;
  slot = Slot{index, nc, fingerprint, true};
  return Use::fresh;
}

}  // namespace portier::sip::ua
