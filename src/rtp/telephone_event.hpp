#pragma once
// RFC 4733 telephone-event payloads: parse/write, a detector that reports each event once, and the packet plan a
// sender follows.
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/result.hpp"
#include "rtp/bytes.hpp"

namespace portier::rtp {

inline constexpr std::size_t kTelephoneEventSize = 4;

struct TelephoneEvent {
  std::uint8_t event = 0;  // 0..255; DTMF is 0..15
  bool end = false;
  std::uint8_t volume = 10;    // 0..63, in -dBm0
  std::uint16_t duration = 0;  // in RTP timestamp units since the event's timestamp
};

// The first 4 bytes of the payload (redundant blocks after it are ignored). errc::too_short, errc::bad_value.
Result<TelephoneEvent> parse_telephone_event(Bytes payload);
// `out` must hold kTelephoneEventSize bytes.
void write_telephone_event(MutableBytes out, const TelephoneEvent& e);

// Turns a stream of telephone-event packets into one report per event. An event is identified by its RTP
// timestamp (RFC 4733 §2.5.1.3); it is reported at its first end packet, so the end packet's three retransmissions
// and late start packets are ignored. An event whose end packets were all lost is reported when the next event
// starts, or by flush().
class TelephoneEventDetector {
 public:
  struct Detected {
    std::uint8_t event = 0;
    char digit = 0;               // 0 for events that are not DTMF digits (flash, tones)
    std::uint32_t timestamp = 0;  // RTP timestamp of the event
    std::uint32_t duration = 0;   // timestamp units
  };

  // Feed each packet whose payload type is the negotiated telephone-event.
  std::optional<Detected> on_packet(std::uint32_t rtp_timestamp, Bytes payload);
  // The event in progress, if it has not been reported (end packets lost); call when the stream goes quiet.
  std::optional<Detected> flush();
  std::uint64_t reported() const { return reported_; }
  std::uint64_t malformed() const { return malformed_; }

 private:
  Detected make(std::uint32_t ts, const TelephoneEvent& e) const;

  std::optional<std::uint32_t> current_ts_;  // event being received, not yet reported
  TelephoneEvent current_{};
  std::optional<std::uint32_t> last_reported_ts_;
  bool pending_end_ = false;  // a new event ended while the previous one was being reported
  std::uint64_t reported_ = 0;
  std::uint64_t malformed_ = 0;
};

// One packet of a generated event: its payload, marker bit and when to send it, relative to the first packet.
struct PlannedEventPacket {
  TelephoneEvent payload;
  bool marker = false;
  std::chrono::milliseconds at{0};
};

// The packets for one event of `length`: one every `ptime` with the growing duration (marker on the first), then
// the end packet three times (RFC 4733 §2.5.1.4). All use the event's single RTP timestamp, chosen by the sender.
std::vector<PlannedEventPacket> plan_telephone_event(std::uint8_t event, std::chrono::milliseconds length,
                                                     int clock_rate = 8000,
                                                     std::chrono::milliseconds ptime = std::chrono::milliseconds(20),
                                                     std::uint8_t volume = 10);

}  // namespace portier::rtp
