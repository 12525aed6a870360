#include "media/conference_mixer.hpp"

#include <algorithm>

#include "base/error.hpp"

namespace portier::media {

ConferenceMixer::ConferenceMixer(MixerConfig config)
    : config_(config),
      frame_samples_(static_cast<std::size_t>(config.sample_rate * config.ptime_ms / 1000)),
      sum_(frame_samples_),
      out_(frame_samples_) {}

Status ConferenceMixer::add(ParticipantId id, G711Law law) {
  if (participants_.count(id)) return Error(errc::already_exists, "participant already in the conference");
  if (participants_.size() >= config_.max_participants) return Error(errc::too_large, "conference is full");
  auto p = std::make_unique<Participant>(
      Participant{law, JitterQueue(frame_samples_, config_.queue_frames, config_.prebuffer_frames),
                  std::vector<std::int16_t>(frame_samples_), std::vector<std::int16_t>(frame_samples_), false,
                  std::vector<std::uint8_t>(frame_samples_), {}, 0});
  participants_.emplace(id, std::move(p));
  return {};
}

void ConferenceMixer::remove(ParticipantId id) { participants_.erase(id); }

bool ConferenceMixer::push(ParticipantId id, std::uint16_t sequence, std::span<const std::uint8_t> payload) {
  auto it = participants_.find(id);
  if (it == participants_.end() || payload.size() != frame_samples_) {
    ++dropped_;
    return false;
  }
  auto& p = *it->second;
  g711_decode(p.law, payload, p.decoded);
  if (!p.queue.push(sequence, p.decoded)) {
    ++dropped_;
    return false;
  }
  return true;
}

Status ConferenceMixer::play(ParticipantId id, std::vector<std::int16_t> pcm) {
  auto it = participants_.find(id);
  if (it == participants_.end()) return Error(errc::not_found, "no such participant");
  it->second->prompt = std::move(pcm);
  it->second->prompt_pos = 0;
  return {};
}

bool ConferenceMixer::playing(ParticipantId id) const {
  auto it = participants_.find(id);
  return it != participants_.end() && it->second->prompt_pos < it->second->prompt.size();
}

void ConferenceMixer::tick(const Sink& sink) {
  std::fill(sum_.begin(), sum_.end(), 0);
  for (auto& [id, p] : participants_) {
    auto frame = p->queue.pop();
    p->active = frame.has_value();
    if (!p->active) continue;
    std::copy(frame->begin(), frame->end(), p->current.begin());
    for (std::size_t i = 0; i < frame_samples_; ++i) sum_[i] += p->current[i];
  }
  for (auto& [id, p] : participants_) {
    for (std::size_t i = 0; i < frame_samples_; ++i) {
      // N-1: nobody hears themselves. Saturate rather than wrap, so that loud overlaps clip instead of cracking.
      std::int32_t v = sum_[i] - (p->active ? p->current[i] : 0);
      if (p->prompt_pos + i < p->prompt.size()) v += p->prompt[p->prompt_pos + i];  // its private prompt
      out_[i] = static_cast<std::int16_t>(std::clamp<std::int32_t>(v, -32768, 32767));
    }
    if (p->prompt_pos < p->prompt.size()) {
      p->prompt_pos += frame_samples_;
      if (p->prompt_pos >= p->prompt.size()) {
        p->prompt.clear();
        p->prompt_pos = 0;
      }
    }
    g711_encode(p->law, out_, p->encoded);
    sink(id, p->encoded);
  }
}

std::string ConferenceMixer::dump() const {
  std::string out =
      "ConferenceMixer{n=" + std::to_string(participants_.size()) + " dropped=" + std::to_string(dropped_);
  for (const auto& [id, p] : participants_) {
    out += ' ';
    out += std::to_string(id);
    out += ':';
    out += p->queue.dump();
  }
  return out + "}";
}

}  // namespace portier::media
