#include "media/recorder.hpp"

#include <algorithm>

#include "media/wav.hpp"

namespace portier::media {

Recorder::Recorder(std::chrono::seconds max_length, int sample_rate)
    : max_samples_(static_cast<std::size_t>(max_length.count()) * static_cast<std::size_t>(sample_rate)),
      sample_rate_(sample_rate) {
  samples_.reserve(max_samples_);
}

void Recorder::on_rtp_packet(const rtp::RtpView& p) {
  const auto law = g711_law_for_payload_type(p.payload_type);
  if (!law || full()) {
    ++skipped_;
    return;
  }
  if (ssrc_ == p.ssrc) {
    const auto gap = static_cast<std::int32_t>(p.timestamp - next_ts_);
    if (gap < 0) {
      ++skipped_;  // late or duplicate: its place has been played already
      return;
    }
    // Lost packets become silence, at most one second at a time (a sender that jumps its clock is not a pause).
    const auto fill = std::min<std::size_t>(
        {static_cast<std::size_t>(gap), static_cast<std::size_t>(sample_rate_), max_samples_ - samples_.size()});
    samples_.insert(samples_.end(), fill, 0);
  }
  ssrc_ = p.ssrc;
  const auto n = std::min(p.payload.size(), max_samples_ - samples_.size());
  const auto at = samples_.size();
  samples_.resize(at + n);
  g711_decode(*law, p.payload.first(n), std::span<std::int16_t>(samples_).subspan(at));
  next_ts_ = p.timestamp + static_cast<std::uint32_t>(p.payload.size());
}

std::chrono::milliseconds Recorder::length() const {
  return std::chrono::milliseconds(samples_.size() * 1000 / static_cast<std::size_t>(sample_rate_));
}

Status Recorder::save(const std::string& path) const { return write_wav(path, samples_, sample_rate_); }

std::string Recorder::dump() const {
  return "Recorder{ms=" + std::to_string(length().count()) + " skipped=" + std::to_string(skipped_) + "}";
}

}  // namespace portier::media
