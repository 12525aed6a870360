#include "media/jitter_queue.hpp"

#include <algorithm>

namespace portier::media {
namespace {

int delta(std::uint16_t a, std::uint16_t b) { return static_cast<std::int16_t>(static_cast<std::uint16_t>(a - b)); }

}  // namespace

JitterQueue::JitterQueue(std::size_t frame_samples, std::size_t capacity, std::size_t prebuffer)
    : frame_samples_(frame_samples),
      capacity_(std::max<std::size_t>(capacity, 2)),
      prebuffer_(std::clamp<std::size_t>(prebuffer, 1, capacity_)),
      frames_(capacity_ * frame_samples_),
      slot_seq_(capacity_, -1) {}

bool JitterQueue::push(std::uint16_t seq, std::span<const std::int16_t> frame) {
  if (frame.size() != frame_samples_) return false;
  if (!next_) next_ = seq;
  const int ahead = delta(seq, *next_);
  if (ahead < 0) {
    ++late_;
    return false;
  }
  if (ahead >= static_cast<int>(capacity_)) {
    // Too far ahead of playout (a long silence, a restarted sender): start again from this frame.
    ++resyncs_;
    std::fill(slot_seq_.begin(), slot_seq_.end(), -1);
    next_ = seq;
    newest_.reset();
    playing_ = false;
  }
  const auto s = slot(seq);
  if (slot_seq_[s] == seq) {
    ++late_;  // duplicate
    return false;
  }
  slot_seq_[s] = seq;
  std::copy(frame.begin(), frame.end(), frames_.begin() + static_cast<std::ptrdiff_t>(s * frame_samples_));
  if (!newest_ || delta(seq, *newest_) > 0) newest_ = seq;
  return true;
}

std::size_t JitterQueue::depth() const {
  if (!next_ || !newest_) return 0;
  const int d = delta(*newest_, *next_) + 1;
  return d > 0 ? static_cast<std::size_t>(d) : 0;
}

std::optional<std::span<const std::int16_t>> JitterQueue::pop() {
  if (!next_) return std::nullopt;
  if (!playing_) {
    if (depth() < prebuffer_) return std::nullopt;
    playing_ = true;
  }
  if (depth() == 0) {
    // Ran dry: pre-buffer again rather than play gaps forever.
    playing_ = false;
    ++gaps_;
    return std::nullopt;
  }
  const auto seq = *next_;
  next_ = static_cast<std::uint16_t>(seq + 1);
  const auto s = slot(seq);
  if (slot_seq_[s] != seq) {
    ++gaps_;
    return std::nullopt;
  }
  slot_seq_[s] = -1;
  return std::span<const std::int16_t>(frames_.data() + s * frame_samples_, frame_samples_);
}

std::string JitterQueue::dump() const {
  return "JitterQueue{depth=" + std::to_string(depth()) + " late=" + std::to_string(late_) +
         " gaps=" + std::to_string(gaps_) + " resyncs=" + std::to_string(resyncs_) + "}";
}

}  // namespace portier::media
