#include "webrtc/audio_transcoder.hpp"

#include "media/g711.hpp"
#include "media/media_error.hpp"

namespace portier::webrtc {
namespace {

constexpr std::size_t kOpusFrame = 960;  // 20 ms at 48 kHz
constexpr std::uint32_t kRatio = 6;      // 48000 / 8000

media::G711Law law(AudioFormat f) { return f == AudioFormat::pcma ? media::G711Law::alaw : media::G711Law::ulaw; }

}  // namespace

std::string_view to_string(AudioFormat f) {
  switch (f) {
    case AudioFormat::pcmu:
      return "PCMU";
    case AudioFormat::pcma:
      return "PCMA";
    case AudioFormat::opus:
      return "opus";
  }
  return "?";
}

int clock_rate(AudioFormat f) { return f == AudioFormat::opus ? 48000 : 8000; }

AudioTranscoder::AudioTranscoder(AudioFormat from, AudioFormat to) : from_(from), to_(to) {}

Result<std::unique_ptr<AudioTranscoder>> AudioTranscoder::create(AudioFormat from, AudioFormat to) {
  std::unique_ptr<AudioTranscoder> t(new AudioTranscoder(from, to));
  t->out_.resize(media::kOpusMaxPacketBytes);
  t->pcm_in_.reserve(media::kOpusMaxFrameSamples);
  t->pcm_out_.reserve(media::kOpusMaxFrameSamples * 2);
  if (from == AudioFormat::opus) {
    auto d = media::OpusDecoder::create(48000, 1);
    if (!d) return d.error();
    t->decoder_ = std::move(*d);
    t->resampler_ = std::make_unique<media::Resampler>(48000, 8000);
    t->pcm_in_.resize(media::kOpusMaxFrameSamples);
  } else if (to == AudioFormat::opus) {
    auto e = media::OpusEncoder::create(48000, 1);
    if (!e) return e.error();
    t->encoder_ = std::move(*e);
    t->resampler_ = std::make_unique<media::Resampler>(8000, 48000);
  }
  return t;
}

bool AudioTranscoder::push(std::span<const std::uint8_t> payload, std::uint32_t timestamp) {
  if (from_ == AudioFormat::opus) return push_opus_to_g711(payload, timestamp);
  if (to_ == AudioFormat::opus) return push_g711_to_opus(payload, timestamp);
  return push_g711_to_g711(payload, timestamp);
}

bool AudioTranscoder::push_g711_to_g711(std::span<const std::uint8_t> payload, std::uint32_t timestamp) {
  if (payload.size() > out_.size()) {
    ++errors_;
    return false;
  }
  const auto from = law(from_);
  const auto to = law(to_);
  for (std::size_t i = 0; i < payload.size(); ++i) {
    const auto pcm = from == media::G711Law::ulaw ? media::ulaw_to_linear(payload[i]) : media::alaw_to_linear(payload[i]);
    out_[i] = to == media::G711Law::ulaw ? media::linear_to_ulaw(pcm) : media::linear_to_alaw(pcm);
  }
  ready_ = true;
  ready_size_ = payload.size();
  ready_timestamp_ = timestamp;
  return true;
}

bool AudioTranscoder::push_opus_to_g711(std::span<const std::uint8_t> payload, std::uint32_t timestamp) {
  auto samples = decoder_->decode(payload, pcm_in_);
  if (!samples) {
    ++errors_;
    return false;
  }
  pcm_out_.clear();
  resampler_->process(std::span<const std::int16_t>(pcm_in_.data(), *samples), pcm_out_);
  const auto n = std::min(pcm_out_.size(), out_.size());
  media::g711_encode(law(to_), std::span<const std::int16_t>(pcm_out_.data(), n), std::span(out_.data(), n));
  ready_ = n > 0;
  ready_size_ = n;
  ready_timestamp_ = timestamp / kRatio;
  return true;
}

bool AudioTranscoder::push_g711_to_opus(std::span<const std::uint8_t> payload, std::uint32_t timestamp) {
  if (payload.size() > media::kOpusMaxFrameSamples / kRatio) {
    ++errors_;
    return false;
  }
  pcm_in_.resize(payload.size());
  media::g711_decode(law(from_), payload, pcm_in_);
  const auto start = timestamp * kRatio;
  // A gap or a jump (new talk spurt, another source) starts a new frame: the rest of the old one is dropped.
  if (!pcm_out_.empty() && start != static_cast<std::uint32_t>(pending_timestamp_ + pcm_out_.size())) {
    pcm_out_.clear();
  }
  if (pcm_out_.empty()) pending_timestamp_ = start;
  resampler_->process(pcm_in_, pcm_out_);
  return true;
}

bool AudioTranscoder::next(Frame& out) {
  if (to_ != AudioFormat::opus) {
    if (!ready_) return false;
    ready_ = false;
    ++frames_;
    out = Frame{std::span<const std::uint8_t>(out_.data(), ready_size_), ready_timestamp_};
    return true;
  }
  if (pcm_out_.size() < kOpusFrame) return false;
  auto size = encoder_->encode(std::span<const std::int16_t>(pcm_out_.data(), kOpusFrame), out_);
  const auto ts = pending_timestamp_;
  pcm_out_.erase(pcm_out_.begin(), pcm_out_.begin() + kOpusFrame);
  pending_timestamp_ += kOpusFrame;
  if (!size) {
    ++errors_;
    return false;
  }
  ++frames_;
  out = Frame{std::span<const std::uint8_t>(out_.data(), *size), ts};
  return true;
}

std::string AudioTranscoder::dump() const {
  return "AudioTranscoder{" + std::string(to_string(from_)) + "->" + std::string(to_string(to_)) +
         " frames=" + std::to_string(frames_) + " errors=" + std::to_string(errors_) + "}";
}

}  // namespace portier::webrtc
