#include "rtp/telephone_event.hpp"

#include <algorithm>

#include "rtp/dtmf.hpp"
#include "rtp/rtp_error.hpp"

namespace portier::rtp {

Result<TelephoneEvent> parse_telephone_event(Bytes p) {
  if (p.size() < kTelephoneEventSize) return Error(errc::too_short);
  TelephoneEvent e;
  e.event = p[0];
  e.end = (p[1] & 0x80) != 0;
  // Bit 0x40 is reserved: senders set it to zero, receivers ignore it (RFC 4733 §2.3).
  e.volume = p[1] & 0x3f;
  e.duration = load16(&p[2]);
  return e;
}

void write_telephone_event(MutableBytes out, const TelephoneEvent& e) {
  out[0] = e.event;
  out[1] = static_cast<std::uint8_t>((e.end ? 0x80 : 0) | (e.volume & 0x3f));
  store16(&out[2], e.duration);
}

TelephoneEventDetector::Detected TelephoneEventDetector::make(std::uint32_t ts, const TelephoneEvent& e) const {
  return Detected{e.event, event_to_digit(e.event).value_or(0), ts, e.duration};
}

std::optional<TelephoneEventDetector::Detected> TelephoneEventDetector::on_packet(std::uint32_t ts, Bytes payload) {
  auto parsed = parse_telephone_event(payload);
  if (!parsed) {
    ++malformed_;
    return std::nullopt;
  }
  const TelephoneEvent& e = *parsed;
  if (last_reported_ts_ == ts) {
    // Retransmitted end packet (or a late start packet) of an event already reported.
    if (pending_end_) {
      pending_end_ = false;
      ++reported_;
      return make(ts, e);
    }
    return std::nullopt;
  }
  std::optional<Detected> out;
  if (current_ts_ && *current_ts_ != ts) {
    // A new event began while the previous one never ended for us: report the previous one now.
    out = make(*current_ts_, current_);
    last_reported_ts_ = *current_ts_;
    ++reported_;
    current_ts_.reset();
    if (e.end) {
      // This packet ends the new event too; report it with its next (retransmitted) end packet.
      last_reported_ts_ = ts;
      current_ = e;
      pending_end_ = true;
      return out;
    }
  }
  if (e.end) {
    last_reported_ts_ = ts;
    current_ts_.reset();
    ++reported_;
    return make(ts, e);
  }
  if (!current_ts_ || e.duration >= current_.duration) current_ = e;
  current_ts_ = ts;
  return out;
}

std::optional<TelephoneEventDetector::Detected> TelephoneEventDetector::flush() {
  if (pending_end_ && last_reported_ts_) {
    pending_end_ = false;
    ++reported_;
    return make(*last_reported_ts_, current_);
  }
  if (!current_ts_) return std::nullopt;
  auto out = make(*current_ts_, current_);
  last_reported_ts_ = *current_ts_;
  current_ts_.reset();
  ++reported_;
  return out;
}

std::vector<PlannedEventPacket> plan_telephone_event(std::uint8_t event, std::chrono::milliseconds length,
                                                     int clock_rate, std::chrono::milliseconds ptime,
                                                     std::uint8_t volume) {
  std::vector<PlannedEventPacket> out;
  if (ptime.count() <= 0 || clock_rate <= 0) return out;
  const auto units = [&](std::chrono::milliseconds t) {
    // The 16-bit duration saturates; longer events would need segments (RFC 4733 §2.5.1.3), which DTMF never does.
    return static_cast<std::uint16_t>(std::min<long long>(0xffff, t.count() * clock_rate / 1000));
  };
  const auto total = std::max(length, ptime);
  for (auto t = std::chrono::milliseconds(0); t < total; t += ptime) {
    out.push_back({TelephoneEvent{event, false, volume, units(t + ptime)}, t.count() == 0, t});
  }
  const TelephoneEvent end{event, true, volume, units(total)};
  for (int i = 0; i < 3; ++i) out.push_back({end, false, total + i * ptime});
  return out;
}

}  // namespace portier::rtp
