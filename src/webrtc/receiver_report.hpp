#pragma once
// Reception statistics of one incoming RTP stream and the RTCP receiver report built from them (RFC 3550 §6.4.2,
// A.1 sequence tracking, A.3 loss, A.8 jitter), for the WebRtcEndpoint to send the browser when the SIP side sends
// no RTCP of its own (so that the browser's getStats() has loss, jitter and round-trip time). Pure: times passed in.
// Owned by the endpoint by value.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/clock.hpp"
#include "rtp/rtp_packet.hpp"

namespace portier::webrtc {

class ReceiverReport {
 public:
  // A valid RTP packet of the stream (another SSRC restarts the statistics).
  void on_rtp(const rtp::RtpView& h, Clock::SteadyTime arrival, int clock_rate);
  // A sender report of that stream: its NTP timestamp's middle 32 bits, for LSR/DLSR.
  void on_sender_report(std::uint32_t ssrc, std::uint32_t ntp_middle, Clock::SteadyTime arrival);
  // RR (with one report block once a packet was seen) + SDES CNAME into `out`. Returns the size, 0 when `out` is
  // too small. Updates the "since last report" counters.
  std::size_t write(std::span<std::uint8_t> out, std::uint32_t sender_ssrc, std::string_view cname,
                    Clock::SteadyTime now);
  std::optional<std::uint32_t> source() const { return ssrc_; }
  std::uint32_t jitter() const { return static_cast<std::uint32_t>(jitter_ / 16); }
  std::string dump() const;

 private:
  std::optional<std::uint32_t> ssrc_;
  std::uint16_t base_seq_ = 0;
  std::uint16_t max_seq_ = 0;
  std::uint32_t cycles_ = 0;  // sequence wraps, in units of 65536
  std::uint64_t received_ = 0;
  std::uint64_t expected_prior_ = 0;
  std::uint64_t received_prior_ = 0;
  std::int64_t last_transit_ = 0;
  bool have_transit_ = false;
  std::uint64_t jitter_ = 0;  // scaled by 16 (A.8)
  std::uint32_t last_sr_ = 0;
  std::optional<Clock::SteadyTime> last_sr_arrival_;
};

}  // namespace portier::webrtc
