#include "media/port_pool.hpp"

namespace portier::media {

PortPool::PortPool(std::uint16_t port_min, std::uint16_t port_max)
    : first_(static_cast<std::uint16_t>(port_min + (port_min & 1))) {
  // A pair needs both ports inside the range.
  std::size_t pairs = 0;
  if (port_max > first_) pairs = (static_cast<std::size_t>(port_max) - first_ + 1) / 2;
  used_.assign(pairs, false);
}

std::optional<std::uint16_t> PortPool::acquire() {
  for (std::size_t i = 0; i < used_.size(); ++i) {
    const std::size_t idx = (next_ + i) % used_.size();
    if (!used_[idx]) {
      used_[idx] = true;
      ++in_use_;
      next_ = (idx + 1) % used_.size();
      return static_cast<std::uint16_t>(first_ + 2 * idx);
    }
  }
  return std::nullopt;
}

void PortPool::release(std::uint16_t rtp_port) {
  if (rtp_port < first_ || (rtp_port - first_) % 2) return;
  const std::size_t idx = (rtp_port - first_) / 2u;
  if (idx < used_.size() && used_[idx]) {
    used_[idx] = false;
    --in_use_;
  }
}

std::string PortPool::dump() const {
  return "PortPool{" + std::to_string(first_) + "+" + std::to_string(2 * used_.size()) +
         " in_use=" + std::to_string(in_use_) + "}";
}

}  // namespace portier::media
