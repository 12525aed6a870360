#include "sip/ua/nonce_counter.hpp"

namespace portier::sip::ua {

bool NonceCounter::accept(std::uint32_t index, std::uint32_t nc) {
  auto& slot = slots_[index & (slots_.size() - 1)];
  if (slot.used && slot.index == index) {
    if (nc == 0 || nc <= slot.nc) return false;
    slot.nc = nc;
    return true;
  }
  // Signed distance copes with the index wrapping around.
  if (slot.used && static_cast<std::int32_t>(slot.index - index) > 0) return false;  // overwritten by a newer nonce
  if (!slot.used) ++used_;
  slot = Slot{index, nc, true};
  return true;
}

}  // namespace portier::sip::ua
