#pragma once
// Opus (RFC 6716) through libopus: the encoder and decoder the WebRTC endpoint uses to transcode between browsers
// (Opus, 48 kHz) and SIP phones and door stations (G.711, 8 kHz; see resampler.hpp). One encoder and one decoder
// per call leg, owned by that leg and used from its strand only (libopus state is not thread-safe).
// Failures are values (media::errc): a corrupt packet from the network is counted and reported, never thrown.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/result.hpp"

// libopus's state types, kept opaque so that only opus_codec.cpp includes <opus/opus.h>.
struct OpusEncoder;
struct OpusDecoder;

namespace portier::media {

// Largest packet libopus produces for one frame (RFC 6716 §3.4, 1275 bytes): size encode()'s output this big.
inline constexpr std::size_t kOpusMaxPacketBytes = 1275;
// Longest packet duration, 120 ms at 48 kHz: decode()'s output needs this many samples per channel.
inline constexpr std::size_t kOpusMaxFrameSamples = 5760;

class OpusEncoder {
 public:
  // VOIP application. `sample_rate` one of 8000, 12000, 16000, 24000, 48000; `channels` 1 or 2; `bitrate` in
  // bit/s (libopus clamps it to 500..300000 per channel). Fails with errc::codec_error for settings libopus refuses.
  static Result<std::unique_ptr<OpusEncoder>> create(int sample_rate = 48000, int channels = 1, int bitrate = 32000);
  ~OpusEncoder();
  OpusEncoder(const OpusEncoder&) = delete;
  OpusEncoder& operator=(const OpusEncoder&) = delete;

  // `pcm` = one frame, interleaved: frame_samples() * channels() samples (20 ms). Writes one packet to `out`
  // (give it kOpusMaxPacketBytes; a smaller buffer makes libopus lower the quality to fit) and returns its size.
  // errc::bad_frame for a frame of another length, errc::codec_error when libopus fails.
  Result<std::size_t> encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out);

  int sample_rate() const { return sample_rate_; }
  int channels() const { return channels_; }
  // Samples per channel in one 20 ms frame (960 at 48 kHz).
  std::size_t frame_samples() const { return static_cast<std::size_t>(sample_rate_ / 50); }
  std::string dump() const;

 private:
  struct Deleter {
    void operator()(::OpusEncoder* state) const;
  };
  OpusEncoder(std::unique_ptr<::OpusEncoder, Deleter> state, int sample_rate, int channels, int bitrate);

  std::unique_ptr<::OpusEncoder, Deleter> state_;  // owned libopus encoder state
  int sample_rate_;
  int channels_;
  int bitrate_;
  std::uint64_t frames_ = 0;
  std::uint64_t failures_ = 0;
};

class OpusDecoder {
 public:
  // `sample_rate` one of 8000, 12000, 16000, 24000, 48000; `channels` 1 or 2. Any packet decodes to this format:
  // libopus mixes stereo packets down for a mono decoder and resamples internally.
  static Result<std::unique_ptr<OpusDecoder>> create(int sample_rate = 48000, int channels = 1);
  ~OpusDecoder();
  OpusDecoder(const OpusDecoder&) = delete;
  OpusDecoder& operator=(const OpusDecoder&) = delete;

  // Decodes one packet into `out` (interleaved; give it kOpusMaxFrameSamples * channels() samples at 48 kHz) and
  // returns the samples per channel written. errc::corrupt_packet for an empty or malformed packet,
  // errc::bad_frame when `out` is too short for the packet's duration. Never throws.
  Result<std::size_t> decode(std::span<const std::uint8_t> packet, std::span<std::int16_t> out);
  // Packet loss concealment for `samples` per channel that did not arrive (a multiple of 2.5 ms, at most 120 ms,
  // normally one frame): libopus extrapolates from what it decoded last. Returns `samples`; errc::bad_frame for
  // another duration or a short `out`.
  Result<std::size_t> decode_lost(std::size_t samples, std::span<std::int16_t> out);

  int sample_rate() const { return sample_rate_; }
  int channels() const { return channels_; }
  std::string dump() const;

 private:
  struct Deleter {
    void operator()(::OpusDecoder* state) const;
  };
  OpusDecoder(std::unique_ptr<::OpusDecoder, Deleter> state, int sample_rate, int channels);

  std::unique_ptr<::OpusDecoder, Deleter> state_;  // owned libopus decoder state
  int sample_rate_;
  int channels_;
  std::uint64_t packets_ = 0;
  std::uint64_t corrupt_ = 0;
  std::uint64_t concealed_ = 0;
};

}  // namespace portier::media
