#include "media/opus_codec.hpp"

#include <opus.h>

#include <climits>

#include "media/media_error.hpp"

namespace portier::media {
namespace {

bool valid_rate(int sample_rate) {
  switch (sample_rate) {
    case 8000:
    case 12000:
    case 16000:
    case 24000:
    case 48000:
      return true;
    default:
      return false;
  }
}

bool valid_format(int sample_rate, int channels) { return valid_rate(sample_rate) && (channels == 1 || channels == 2); }

std::string opus_text(int code) { return std::string("libopus: ") + opus_strerror(code); }

int clamp_to_int(std::size_t n) { return n > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(n); }

}  // namespace

// ---- OpusEncoder ----

void OpusEncoder::Deleter::operator()(::OpusEncoder* state) const { opus_encoder_destroy(state); }

OpusEncoder::OpusEncoder(std::unique_ptr<::OpusEncoder, Deleter> state, int sample_rate, int channels, int bitrate)
    : state_(std::move(state)), sample_rate_(sample_rate), channels_(channels), bitrate_(bitrate) {}

OpusEncoder::~OpusEncoder() = default;

Result<std::unique_ptr<OpusEncoder>> OpusEncoder::create(int sample_rate, int channels, int bitrate) {
  if (!valid_format(sample_rate, channels)) {
    return Error(errc::codec_error, "Opus encoder: unsupported format " + std::to_string(sample_rate) + " Hz, " +
                                        std::to_string(channels) + " channel(s)");
  }
  int err = OPUS_OK;
  std::unique_ptr<::OpusEncoder, Deleter> state(
      opus_encoder_create(sample_rate, channels, OPUS_APPLICATION_VOIP, &err));
  if (err != OPUS_OK || !state) return Error(errc::codec_error, opus_text(err));
  err = opus_encoder_ctl(state.get(), OPUS_SET_BITRATE(bitrate));
  if (err != OPUS_OK) {
    return Error(errc::codec_error, "Opus encoder: bitrate " + std::to_string(bitrate) + ": " + opus_text(err));
  }
  return std::unique_ptr<OpusEncoder>(new OpusEncoder(std::move(state), sample_rate, channels, bitrate));
}

Result<std::size_t> OpusEncoder::encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) {
  const std::size_t expected = frame_samples() * static_cast<std::size_t>(channels_);
  if (pcm.size() != expected) {
    ++failures_;
    return Error(errc::bad_frame, "Opus encoder: frame of " + std::to_string(pcm.size()) + " samples, expected " +
                                      std::to_string(expected));
  }
  const opus_int32 written = opus_encode(state_.get(), pcm.data(), static_cast<int>(frame_samples()), out.data(),
                                         static_cast<opus_int32>(clamp_to_int(out.size())));
  if (written < 0) {
    ++failures_;
    return Error(errc::codec_error, "Opus encoder: " + opus_text(written));
  }
  ++frames_;
  return static_cast<std::size_t>(written);
}

std::string OpusEncoder::dump() const {
  return "OpusEncoder{rate=" + std::to_string(sample_rate_) + " channels=" + std::to_string(channels_) +
         " bitrate=" + std::to_string(bitrate_) + " frames=" + std::to_string(frames_) +
         " failures=" + std::to_string(failures_) + "}";
}

// ---- OpusDecoder ----

void OpusDecoder::Deleter::operator()(::OpusDecoder* state) const { opus_decoder_destroy(state); }

OpusDecoder::OpusDecoder(std::unique_ptr<::OpusDecoder, Deleter> state, int sample_rate, int channels)
    : state_(std::move(state)), sample_rate_(sample_rate), channels_(channels) {}

OpusDecoder::~OpusDecoder() = default;

Result<std::unique_ptr<OpusDecoder>> OpusDecoder::create(int sample_rate, int channels) {
  if (!valid_format(sample_rate, channels)) {
    return Error(errc::codec_error, "Opus decoder: unsupported format " + std::to_string(sample_rate) + " Hz, " +
                                        std::to_string(channels) + " channel(s)");
  }
  int err = OPUS_OK;
  std::unique_ptr<::OpusDecoder, Deleter> state(opus_decoder_create(sample_rate, channels, &err));
  if (err != OPUS_OK || !state) return Error(errc::codec_error, opus_text(err));
  return std::unique_ptr<OpusDecoder>(new OpusDecoder(std::move(state), sample_rate, channels));
}

Result<std::size_t> OpusDecoder::decode(std::span<const std::uint8_t> packet, std::span<std::int16_t> out) {
  // An empty packet would ask libopus for concealment; from the network it is just a broken packet.
  if (packet.empty() || packet.size() > static_cast<std::size_t>(INT_MAX)) {
    ++corrupt_;
    return Error(errc::corrupt_packet, "Opus decoder: empty packet");
  }
  const int capacity = clamp_to_int(out.size() / static_cast<std::size_t>(channels_));
  const int decoded = opus_decode(state_.get(), packet.data(), static_cast<opus_int32>(packet.size()), out.data(),
                                  capacity, 0);
  if (decoded == OPUS_BUFFER_TOO_SMALL) {
    ++corrupt_;
    return Error(errc::bad_frame, "Opus decoder: output of " + std::to_string(capacity) + " samples too short");
  }
  if (decoded < 0) {
    ++corrupt_;
    return Error(errc::corrupt_packet, "Opus decoder: " + opus_text(decoded));
  }
  ++packets_;
  return static_cast<std::size_t>(decoded);
}

Result<std::size_t> OpusDecoder::decode_lost(std::size_t samples, std::span<std::int16_t> out) {
  const auto step = static_cast<std::size_t>(sample_rate_ / 400);  // 2.5 ms
  const auto longest = static_cast<std::size_t>(sample_rate_ / 1000 * 120);
  if (samples == 0 || samples % step != 0 || samples > longest) {
    return Error(errc::bad_frame, "Opus concealment: " + std::to_string(samples) + " samples is not a multiple of " +
                                      "2.5 ms up to 120 ms");
  }
  if (out.size() < samples * static_cast<std::size_t>(channels_)) {
    return Error(errc::bad_frame, "Opus concealment: output too short");
  }
  const int decoded = opus_decode(state_.get(), nullptr, 0, out.data(), static_cast<int>(samples), 0);
  if (decoded < 0) return Error(errc::codec_error, "Opus concealment: " + opus_text(decoded));
  ++concealed_;
  return static_cast<std::size_t>(decoded);
}

std::string OpusDecoder::dump() const {
  return "OpusDecoder{rate=" + std::to_string(sample_rate_) + " channels=" + std::to_string(channels_) +
         " packets=" + std::to_string(packets_) + " corrupt=" + std::to_string(corrupt_) +
         " concealed=" + std::to_string(concealed_) + "}";
}

}  // namespace portier::media
