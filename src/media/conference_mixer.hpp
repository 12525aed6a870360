#pragma once
// Conference mixing of G.711 participants: each received 20 ms frame is decoded into the participant's jitter
// queue; every tick (20 ms, driven by the owner's timer) one frame per participant is taken, all are summed, and
// each participant receives the sum minus its own voice (N-1), saturated to 16 bits and encoded in its own law.
// A participant may also have a private prompt (play()): mixed into what that participant hears only, one frame per
// tick, while the others keep hearing the conference.
// Pure logic, no I/O: the owner feeds it RTP payloads and sends what tick() hands out, so it is tested without
// sockets. Not thread-safe; used from the io_context thread.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "media/g711.hpp"
#include "media/jitter_queue.hpp"

namespace portier::media {

struct MixerConfig {
  int sample_rate = 8000;
  int ptime_ms = 20;
  std::size_t max_participants = 16;
  std::size_t queue_frames = 8;  // jitter tolerance: 160 ms
  std::size_t prebuffer_frames = 2;
};

class ConferenceMixer {
 public:
  using ParticipantId = std::uint32_t;
  // Called once per participant per tick with its encoded frame (valid during the call).
  using Sink = std::function<void(ParticipantId, std::span<const std::uint8_t>)>;

  explicit ConferenceMixer(MixerConfig config = {});

  // errc::already_exists, errc::too_large (max_participants).
  Status add(ParticipantId id, G711Law law);
  void remove(ParticipantId id);
  // One received frame (an RTP payload of exactly one ptime of G.711). False when dropped.
  bool push(ParticipantId id, std::uint16_t sequence, std::span<const std::uint8_t> payload);
  // 8 kHz PCM mixed into what `id` alone hears, from the next tick on (replaces a prompt in progress).
  // errc::not_found when there is no such participant.
  Status play(ParticipantId id, std::vector<std::int16_t> pcm);
  bool playing(ParticipantId id) const;
  // Mixes one ptime and hands every participant its frame.
  void tick(const Sink& sink);

  std::size_t size() const { return participants_.size(); }
  std::size_t frame_samples() const { return frame_samples_; }
  std::uint64_t dropped() const { return dropped_; }
  std::string dump() const;

 private:
  struct Participant {
    G711Law law;
    JitterQueue queue;
    std::vector<std::int16_t> decoded;  // scratch for push()
    std::vector<std::int16_t> current;  // this tick's input (silence when none)
    bool active = false;
    std::vector<std::uint8_t> encoded;
    std::vector<std::int16_t> prompt;  // private playback (play()); consumed one frame per tick
    std::size_t prompt_pos = 0;
  };

  MixerConfig config_;
  std::size_t frame_samples_;
  std::map<ParticipantId, std::unique_ptr<Participant>> participants_;
  std::vector<std::int32_t> sum_;
  std::vector<std::int16_t> out_;
  std::uint64_t dropped_ = 0;
};

}  // namespace portier::media
