#include "media/media_engine.hpp"

#include <stdexcept>

#include "media/media_error.hpp"
#include "media/media_relay.hpp"

namespace portier::media {

PortLease::PortLease(MediaEngine& engine, std::shared_ptr<RtpSocket> rtp, std::shared_ptr<RtpSocket> rtcp)
    : engine_(&engine), rtp_(std::move(rtp)), rtcp_(std::move(rtcp)) {}

PortLease::~PortLease() {
  const auto port = rtp_->port();
  rtp_->close();
  rtcp_->close();
  engine_->release(port);
}

MediaEngine::MediaEngine(boost::asio::io_context& io, const Clock& clock, RtpConfig config)
    : io_(io), clock_(clock), config_(std::move(config)), pool_(config_.port_min, config_.port_max), poller_(io) {
  boost::system::error_code ec;
  bind_address_ = boost::asio::ip::make_address(config_.bind_address, ec);
  if (ec) throw std::invalid_argument("rtp.bind_address is not an IP address: " + config_.bind_address);
  if (pool_.capacity() == 0) throw std::invalid_argument("rtp.port_min..port_max holds no even/odd port pair");
}

Result<std::unique_ptr<PortLease>> MediaEngine::allocate_ports() {
  // Try each free pair at most once: a pair whose port another process holds is given back and skipped.
  for (std::size_t attempt = 0; attempt < pool_.capacity(); ++attempt) {
    const auto port = pool_.acquire();
    if (!port) break;
    auto rtp = RtpSocket::open(poller_, {bind_address_, *port});
    if (rtp) {
      auto rtcp = RtpSocket::open(poller_, {bind_address_, static_cast<std::uint16_t>(*port + 1)});
      if (rtcp) return std::make_unique<PortLease>(*this, std::move(*rtp), std::move(*rtcp));
      (*rtp)->close();
    }
    // Another process holds one of the ports: give the pair back; next-fit moves on to the following one.
    pool_.release(*port);
  }
  return Error(errc::port_range_exhausted,
               "no free RTP port pair in " + std::to_string(config_.port_min) + "-" + std::to_string(config_.port_max));
}

Result<std::unique_ptr<MediaRelay>> MediaEngine::create_relay(MediaRelayListener& listener) {
  auto a = allocate_ports();
  if (!a) return a.error();
  auto b = allocate_ports();
  if (!b) return b.error();  // `a` is released by its destructor
  auto relay = std::make_unique<MediaRelay>(*this, listener, std::move(*a), std::move(*b));
  relay->start();
  return relay;
}

std::string MediaEngine::dump() const { return "MediaEngine{" + config_.bind_address + " " + pool_.dump() + " " + poller_.dump() + "}"; }

}  // namespace portier::media
