#pragma once
// A conference on the network: one RTP port pair per participant (from the MediaEngine), latching like the relay,
// each participant's G.711 frames into the ConferenceMixer, and every 20 ms (a drift-free timer) the mix minus the
// participant's own voice sent back as its own RTP stream (own SSRC, sequence, timestamp). RTCP is received and
// counted, not forwarded (the mix is a new stream). RFC 4733 telephone-events of a participant with a negotiated
// telephone-event payload type are detected (each digit reported once to the Listener) and kept out of the mix.
// play() mixes a prompt (the door-opened acknowledgement) into what one participant hears, not the others.
// Owned by the conference's owner (unique_ptr); the MediaEngine and the Listener must outlive it. io_context thread
// only.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "base/result.hpp"
#include "media/conference_mixer.hpp"
#include "media/media_engine.hpp"
#include "media/source_latch.hpp"
#include "rtp/rtp_packet.hpp"
#include "rtp/telephone_event.hpp"

namespace portier::media {

class ConferenceRoom final : private RtpSocket::Listener {
 public:
  using ParticipantId = ConferenceMixer::ParticipantId;

  struct ParticipantStats {
    std::uint64_t rtp_in = 0;
    std::uint64_t rtp_out = 0;
    std::uint64_t rtcp_in = 0;
    std::uint64_t dropped = 0;  // unexpected source, malformed, other payload type, or refused by the jitter queue
    std::uint64_t dtmf_detected = 0;
  };

  class Listener {
   public:
    virtual ~Listener() = default;
    // A DTMF digit (RFC 4733) from `id`, reported once per event. The listener must not destroy the room here.
    virtual void on_room_dtmf(ConferenceRoom& room, ParticipantId id, char digit, std::chrono::milliseconds length) = 0;
  };

  ConferenceRoom(MediaEngine& engine, MixerConfig config = {}, Listener* listener = nullptr);
  ~ConferenceRoom() override;
  ConferenceRoom(const ConferenceRoom&) = delete;
  ConferenceRoom& operator=(const ConferenceRoom&) = delete;

  // Binds a port pair for the participant and returns its RTP port (for its SDP). errc::port_range_exhausted,
  // errc::already_exists, errc::too_large (the mixer's participant limit).
  Result<std::uint16_t> add(ParticipantId id, G711Law law);
  // Where the participant is (from its SDP); nullopt = learn by latching.
  void set_remote(ParticipantId id, std::optional<Endpoint> rtp);
  // The participant's RFC 4733 payload type (from its SDP); -1 (the default) = none, such packets are dropped.
  void set_telephone_event(ParticipantId id, int payload_type);
  void remove(ParticipantId id);
  // 8 kHz PCM mixed into what `id` alone hears (the others keep hearing the conference). errc::not_found.
  Status play(ParticipantId id, std::vector<std::int16_t> pcm);
  // Starts the 20 ms mixing timer.
  void start();
  void stop();

  std::optional<ParticipantStats> stats(ParticipantId id) const;
  std::size_t size() const { return participants_.size(); }
  std::string dump() const;

 private:
  struct Participant;

  void on_rtp_socket_datagram(RtpSocket& socket, std::span<std::uint8_t> data, const Endpoint& from) override;
  void schedule_tick();
  void tick();
  void on_telephone_event(ParticipantId id, Participant& p, const rtp::RtpView& h);

  MediaEngine& engine_;
  Listener* listener_;  // not owned; may be null (digits are then only counted)
  ConferenceMixer mixer_;
  std::chrono::milliseconds ptime_;
  std::map<ParticipantId, std::unique_ptr<Participant>> participants_;
  boost::asio::steady_timer timer_;
  std::chrono::steady_clock::time_point next_tick_{};
  bool running_ = false;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace portier::media
