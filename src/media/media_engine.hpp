#pragma once
// The media side of the process: owns the RTP port pool and the RtpPoller that reads every relay socket (with its
// receive buffers, shared by all of them), and creates relays. One per io_context; it must outlive every relay it created (the composition root
// owns it next to the SIP server). Everything runs on the io_context thread.
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include "base/clock.hpp"
#include "base/result.hpp"
#include "media/port_pool.hpp"
#include "media/rtp_config.hpp"
#include "media/rtp_poller.hpp"
#include "media/rtp_socket.hpp"

namespace portier::media {

class MediaEngine;
class MediaRelay;
class MediaRelayListener;

// A bound RTP/RTCP socket pair (even port, port + 1); closes the sockets and returns the ports when destroyed.
class PortLease {
 public:
  PortLease(MediaEngine& engine, std::shared_ptr<RtpSocket> rtp, std::shared_ptr<RtpSocket> rtcp);
  PortLease(const PortLease&) = delete;
  PortLease& operator=(const PortLease&) = delete;
  ~PortLease();
  RtpSocket& rtp() { return *rtp_; }
  RtpSocket& rtcp() { return *rtcp_; }
  std::uint16_t rtp_port() const { return rtp_->port(); }

 private:
  MediaEngine* engine_;
  std::shared_ptr<RtpSocket> rtp_;
  std::shared_ptr<RtpSocket> rtcp_;
};

class MediaEngine {
 public:
  // Throws std::invalid_argument when bind_address is not an IP literal or the range is empty (configuration).
  MediaEngine(boost::asio::io_context& io, const Clock& clock, RtpConfig config);
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  // A relay with both legs' port pairs bound. errc::port_range_exhausted when fewer than two pairs are free.
  Result<std::unique_ptr<MediaRelay>> create_relay(MediaRelayListener& listener);
  // One port pair, for users other than the relay (a recorder-only or prompt leg later).
  Result<std::unique_ptr<PortLease>> allocate_ports();

  boost::asio::io_context& io() { return io_; }
  const Clock& clock() const { return clock_; }
  const RtpConfig& config() const { return config_; }
  const PortPool& pool() const { return pool_; }
  std::string dump() const;

 private:
  friend class PortLease;
  void release(std::uint16_t rtp_port) { pool_.release(rtp_port); }

  boost::asio::io_context& io_;
  const Clock& clock_;
  RtpConfig config_;
  boost::asio::ip::address bind_address_;
  PortPool pool_;
  // Batched receive for all sockets, into buffers they share: handlers run one at a time on the io_context thread.
  RtpPoller poller_;
};

}  // namespace portier::media
