#pragma once
// Per-participant input queue for the mixer: decoded 20 ms frames slotted by RTP sequence number, played out one
// per tick after a short pre-buffer. Tolerates reordering and jitter up to its capacity; a late frame (already
// played) or a duplicate is dropped and counted; a gap plays silence; a jump far ahead resynchronises.
// Fixed storage: no allocation after construction.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace portier::media {

class JitterQueue {
 public:
  // `capacity` frames of `frame_samples` each; playout starts when `prebuffer` frames are queued.
  JitterQueue(std::size_t frame_samples = 160, std::size_t capacity = 8, std::size_t prebuffer = 2);

  // Copies one frame (exactly frame_samples) for sequence number `seq`. False when dropped (late, duplicate,
  // wrong size).
  bool push(std::uint16_t seq, std::span<const std::int16_t> frame);
  // The next frame to play, or nullopt while pre-buffering or on a gap (the caller plays silence). Advances one
  // frame per call once playing.
  std::optional<std::span<const std::int16_t>> pop();

  std::size_t depth() const;  // frames queued ahead of the playout point
  std::uint64_t late() const { return late_; }
  std::uint64_t gaps() const { return gaps_; }
  std::uint64_t resyncs() const { return resyncs_; }
  std::string dump() const;

 private:
  std::size_t slot(std::uint16_t seq) const { return seq % capacity_; }

  std::size_t frame_samples_;
  std::size_t capacity_;
  std::size_t prebuffer_;
  std::vector<std::int16_t> frames_;    // capacity_ * frame_samples_
  std::vector<std::int32_t> slot_seq_;  // sequence held by each slot, -1 when empty
  std::optional<std::uint16_t> next_;   // next sequence to play
  std::optional<std::uint16_t> newest_;
  bool playing_ = false;
  std::uint64_t late_ = 0, gaps_ = 0, resyncs_ = 0;
};

}  // namespace portier::media
