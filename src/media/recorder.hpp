#pragma once
// Records one RTP leg's G.711 audio into PCM, up to a maximum length, for visitor messages. Fed by the relay's
// packet tap (RtpTap) or directly; packets of other payload types (telephone-event, comfort noise) are skipped, a
// timestamp gap is filled with silence (capped), and a new SSRC restarts the timing. save() writes a WAV file.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "media/g711.hpp"
#include "media/rtp_tap.hpp"

namespace portier::media {

class Recorder final : public RtpTap {
 public:
  explicit Recorder(std::chrono::seconds max_length, int sample_rate = 8000);

  void on_rtp_packet(const rtp::RtpView& packet) override;
  bool full() const { return samples_.size() >= max_samples_; }
  const std::vector<std::int16_t>& samples() const { return samples_; }
  std::chrono::milliseconds length() const;
  Status save(const std::string& path) const;
  std::string dump() const;

 private:
  std::size_t max_samples_;
  int sample_rate_;
  std::vector<std::int16_t> samples_;
  std::optional<std::uint32_t> ssrc_;
  std::uint32_t next_ts_ = 0;
  std::uint64_t skipped_ = 0;
};

}  // namespace portier::media
