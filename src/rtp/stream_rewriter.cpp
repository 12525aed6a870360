#include "rtp/stream_rewriter.hpp"

#include <algorithm>

namespace portier::rtp {

StreamRewriter::StreamRewriter(std::uint32_t out_ssrc, std::uint16_t first_sequence, std::uint32_t first_timestamp,
                               int clock_rate, std::uint32_t frame)
    : out_ssrc_(out_ssrc),
      next_seq_(first_sequence),
      last_ts_(first_timestamp - frame),
      clock_rate_(clock_rate),
      frame_(frame) {}

std::uint32_t StreamRewriter::timestamp_after(std::chrono::nanoseconds since_last) const {
  const auto ns = std::max<std::int64_t>(0, since_last.count());
  // Cap the gap at an hour so the multiplication cannot overflow.
  const auto units = static_cast<std::uint64_t>(std::min<std::int64_t>(ns, 3'600'000'000'000)) *
                     static_cast<std::uint64_t>(clock_rate_) / 1'000'000'000u;
  return last_ts_ + static_cast<std::uint32_t>(std::max<std::uint64_t>(units, frame_));
}

void StreamRewriter::rewrite(MutableBytes packet, const RtpView& h, std::chrono::nanoseconds since_last) {
  if (source_ssrc_ != h.ssrc) {
    const bool first = !source_ssrc_;
    source_ssrc_ = h.ssrc;
    seq_offset_ = static_cast<std::uint16_t>(next_seq_ - h.sequence);
    ts_offset_ = (first ? last_ts_ + frame_ : timestamp_after(since_last)) - h.timestamp;
    if (!first) {
      ++switches_;
      set_marker(packet, true);
    }
  }
  const auto seq = static_cast<std::uint16_t>(h.sequence + seq_offset_);
  const auto ts = h.timestamp + ts_offset_;
  set_ssrc(packet, out_ssrc_);
  set_sequence(packet, seq);
  set_timestamp(packet, ts);
  // Reordered packets keep their (older) numbers; only newer ones advance the stream position.
  if (sequence_delta(seq, static_cast<std::uint16_t>(next_seq_ - 1)) > 0) {
    next_seq_ = static_cast<std::uint16_t>(seq + 1);
    last_ts_ = ts;
  }
}

std::uint16_t StreamRewriter::take_sequence() {
  // Generated packets shift the source's numbering by one each, so later source packets stay consecutive.
  ++seq_offset_;
  return next_seq_++;
}

void StreamRewriter::note_generated(std::uint32_t timestamp) { last_ts_ = timestamp; }

std::string StreamRewriter::dump() const {
  return "StreamRewriter{ssrc=" + std::to_string(out_ssrc_) + " next_seq=" + std::to_string(next_seq_) +
         " switches=" + std::to_string(switches_) + "}";
}

}  // namespace portier::rtp
