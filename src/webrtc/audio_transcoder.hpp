#pragma once
// One direction of audio conversion between the browser's codec and the SIP side's G.711, for the WebRtcEndpoint:
//   - G.711 mu-law <-> A-law: per sample, same length, same clock;
//   - Opus (48 kHz) -> G.711: decode, resample 48 -> 8 kHz, encode (one packet in, one packet out);
//   - G.711 -> Opus: decode, resample 8 -> 48 kHz, buffer, encode 20 ms frames (a packet in gives 0..n out).
// Timestamps: the output timestamp of a packet is the input timestamp scaled by the clock ratio (x6 or /6), so
// gaps and talk spurts keep their timing; the caller's StreamRewriter makes the stream continuous afterwards.
// Owned by the endpoint (unique_ptr, one per direction). The buffers are members, sized at creation: the hot path
// does not allocate. io_context thread only; never throws after create().
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "media/opus_codec.hpp"
#include "media/resampler.hpp"

namespace portier::webrtc {

enum class AudioFormat { pcmu, pcma, opus };
std::string_view to_string(AudioFormat f);
int clock_rate(AudioFormat f);

class AudioTranscoder {
 public:
  // One converted packet: its payload and RTP timestamp in the output clock.
  struct Frame {
    std::span<const std::uint8_t> payload;  // into the transcoder's buffer, valid until the next call
    std::uint32_t timestamp = 0;
  };

  // `from` != `to`. media::errc::codec_error when libopus cannot be set up.
  static Result<std::unique_ptr<AudioTranscoder>> create(AudioFormat from, AudioFormat to);

  // Feeds one packet's payload (`timestamp` in the input clock). Then call next() until it returns false.
  // Returns false (counted) for a corrupt Opus packet.
  bool push(std::span<const std::uint8_t> payload, std::uint32_t timestamp);
  bool next(Frame& out);

  AudioFormat from() const { return from_; }
  AudioFormat to() const { return to_; }
  std::uint64_t frames() const { return frames_; }
  std::uint64_t errors() const { return errors_; }
  std::string dump() const;

 private:
  AudioTranscoder(AudioFormat from, AudioFormat to);
  bool push_g711_to_g711(std::span<const std::uint8_t> payload, std::uint32_t timestamp);
  bool push_opus_to_g711(std::span<const std::uint8_t> payload, std::uint32_t timestamp);
  bool push_g711_to_opus(std::span<const std::uint8_t> payload, std::uint32_t timestamp);

  AudioFormat from_;
  AudioFormat to_;
  std::unique_ptr<media::OpusDecoder> decoder_;   // opus -> g711
  std::unique_ptr<media::OpusEncoder> encoder_;   // g711 -> opus
  std::unique_ptr<media::Resampler> resampler_;
  std::vector<std::int16_t> pcm_in_;    // decoded input
  std::vector<std::int16_t> pcm_out_;   // resampled; for Opus output the not yet encoded rest
  std::uint32_t pending_timestamp_ = 0; // 48 kHz timestamp of pcm_out_[0] (G.711 -> Opus)
  std::vector<std::uint8_t> out_;       // encoded output
  bool ready_ = false;                  // out_ holds a frame not yet taken (G.711 output)
  std::uint32_t ready_timestamp_ = 0;
  std::size_t ready_size_ = 0;
  std::uint64_t frames_ = 0;
  std::uint64_t errors_ = 0;
};

}  // namespace portier::webrtc
