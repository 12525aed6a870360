#pragma once
// Keeps one outgoing RTP stream continuous while its source changes: one SSRC, consecutive sequence numbers and a
// monotonic timestamp, as RFC 3550 §8/§5.1 expect of a stream. The relay uses it on a leg whose peer must not see
// the switch (a transfer, a forked call answered elsewhere, a prompt followed by the real caller).
//
// On a new source the offsets are recomputed so that the next sequence number follows the last one sent and the
// timestamp advances by the elapsed time (at least one frame); the marker bit flags the discontinuity.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "rtp/bytes.hpp"
#include "rtp/rtp_packet.hpp"

namespace portier::rtp {

class StreamRewriter {
 public:
  // `clock_rate` converts elapsed time into timestamp units; `frame` is the minimum timestamp step on a switch.
  StreamRewriter(std::uint32_t out_ssrc, std::uint16_t first_sequence, std::uint32_t first_timestamp,
                 int clock_rate = 8000, std::uint32_t frame = 160);

  // Rewrites SSRC, sequence and timestamp of `packet` (whose parsed header is `h`) in place. `since_last` is the
  // time since the previous packet of this stream was sent, used only when the source changes.
  void rewrite(MutableBytes packet, const RtpView& h, std::chrono::nanoseconds since_last);

  // For packets the relay generates itself (DTMF, prompts) into the same stream: the next sequence number, and the
  // timestamp `since_last` after the last one.
  std::uint16_t take_sequence();
  std::uint32_t timestamp_after(std::chrono::nanoseconds since_last) const;
  // Records a generated packet's timestamp so that a later source switch continues from it.
  void note_generated(std::uint32_t timestamp);

  std::uint32_t ssrc() const { return out_ssrc_; }
  std::optional<std::uint32_t> source_ssrc() const { return source_ssrc_; }
  std::uint64_t source_switches() const { return switches_; }
  std::string dump() const;

 private:
  std::uint32_t out_ssrc_;
  std::uint16_t next_seq_;
  std::uint32_t last_ts_;
  int clock_rate_;
  std::uint32_t frame_;
  std::optional<std::uint32_t> source_ssrc_;
  std::uint16_t seq_offset_ = 0;
  std::uint32_t ts_offset_ = 0;
  std::uint64_t switches_ = 0;
};

}  // namespace portier::rtp
