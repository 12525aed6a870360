#include "media/source_latch.hpp"

namespace portier::media {
namespace {

template <std::size_t N>
bool prefix_equal(const std::array<unsigned char, N>& a, const std::array<unsigned char, N>& b, int bits) {
  for (std::size_t i = 0; i < N && bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

}  // namespace

SourceLatch::SourceLatch(const RtpConfig& config)
    : window_(config.latch_packets), prefix_v4_(config.relatch_prefix_v4), prefix_v6_(config.relatch_prefix_v6) {}

void SourceLatch::expect(std::optional<Endpoint> signalled) {
  if (signalled && (signalled->address().is_unspecified() || signalled->port() == 0)) signalled.reset();
  signalled_ = signalled;
  latched_.reset();
  accepted_ = 0;
}

bool SourceLatch::same_network(const boost::asio::ip::address& a) const {
  if (!signalled_) return false;
  const auto& s = signalled_->address();
  if (a.is_v4() && s.is_v4()) return prefix_equal(a.to_v4().to_bytes(), s.to_v4().to_bytes(), prefix_v4_);
  if (a.is_v6() && s.is_v6()) return prefix_equal(a.to_v6().to_bytes(), s.to_v6().to_bytes(), prefix_v6_);
  return false;
}

bool SourceLatch::accept(const Endpoint& from) {
  if (latched_ && *latched_ == from) {
    ++accepted_;
    return true;
  }
  if (!latched_ || accepted_ < window_) {
    if (latched_) ++relatches_;
    latched_ = from;
    ++accepted_;
    return true;
  }
  if (same_network(from.address())) {
    ++relatches_;
    latched_ = from;
    ++accepted_;
    return true;
  }
  return false;
}

std::optional<SourceLatch::Endpoint> SourceLatch::destination() const { return latched_ ? latched_ : signalled_; }

std::string SourceLatch::dump() const {
  auto ep = [](const std::optional<Endpoint>& e) {
    return e ? e->address().to_string() + ":" + std::to_string(e->port()) : std::string("-");
  };
  return "Latch{signalled=" + ep(signalled_) + " latched=" + ep(latched_) + " accepted=" + std::to_string(accepted_) +
         "}";
}

}  // namespace portier::media
