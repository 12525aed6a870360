#include "media/conference_room.hpp"

#include <array>

#include "base/error.hpp"
#include "base/random.hpp"

namespace portier::media {
namespace {

std::uint32_t random_u32() { return static_cast<std::uint32_t>(std::stoul(random_hex(4), nullptr, 16)); }

}  // namespace

struct ConferenceRoom::Participant {
  Participant(std::unique_ptr<PortLease> p, G711Law l, const RtpConfig& config)
      : ports(std::move(p)), law(l), latch(config) {}

  std::unique_ptr<PortLease> ports;
  G711Law law;
  SourceLatch latch;
  std::uint32_t ssrc = random_u32();
  std::uint16_t seq = static_cast<std::uint16_t>(random_u32());
  std::uint32_t ts = random_u32();
  int te_pt = -1;                        // RFC 4733 payload type it sends, -1 = none
  rtp::TelephoneEventDetector detector;  // its telephone-events
  ParticipantStats stats;
};

ConferenceRoom::ConferenceRoom(MediaEngine& engine, MixerConfig config, Listener* listener)
    : engine_(engine), listener_(listener), mixer_(config), ptime_(config.ptime_ms), timer_(engine.io()) {}

ConferenceRoom::~ConferenceRoom() { stop(); }

Result<std::uint16_t> ConferenceRoom::add(ParticipantId id, G711Law law) {
  if (participants_.count(id)) return Error(portier::errc::already_exists, "participant already in the room");
  if (auto st = mixer_.add(id, law); !st) return st.error();
  auto ports = engine_.allocate_ports();
  if (!ports) {
    mixer_.remove(id);
    return ports.error();
  }
  auto p = std::make_unique<Participant>(std::move(*ports), law, engine_.config());
  p->ports->rtp().start(*this);
  p->ports->rtcp().start(*this);
  const auto port = p->ports->rtp_port();
  participants_.emplace(id, std::move(p));
  return port;
}

void ConferenceRoom::set_remote(ParticipantId id, std::optional<Endpoint> rtp) {
  if (auto it = participants_.find(id); it != participants_.end()) it->second->latch.expect(rtp);
}

void ConferenceRoom::set_telephone_event(ParticipantId id, int payload_type) {
  if (auto it = participants_.find(id); it != participants_.end()) it->second->te_pt = payload_type;
}

void ConferenceRoom::remove(ParticipantId id) {
  mixer_.remove(id);
  participants_.erase(id);  // the PortLease closes the sockets and returns the ports
}

Status ConferenceRoom::play(ParticipantId id, std::vector<std::int16_t> pcm) {
  if (!participants_.count(id)) return Error(portier::errc::not_found, "no such participant in the room");
  return mixer_.play(id, std::move(pcm));
}

void ConferenceRoom::start() {
  if (running_) return;
  running_ = true;
  next_tick_ = std::chrono::steady_clock::now() + ptime_;
  schedule_tick();
}

void ConferenceRoom::stop() {
  running_ = false;
  alive_.reset();
  timer_.cancel();
  participants_.clear();
}

void ConferenceRoom::schedule_tick() {
  // Absolute deadlines: a late wake-up shortens the next wait instead of drifting the 20 ms cadence.
  timer_.expires_at(next_tick_);
  timer_.async_wait([this, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& ec) {
    if (ec || alive.expired() || !running_) return;
    tick();
    next_tick_ += ptime_;
    const auto now = std::chrono::steady_clock::now();
    if (next_tick_ + ptime_ < now) next_tick_ = now + ptime_;  // asleep for a while: do not burst to catch up
    schedule_tick();
  });
}

void ConferenceRoom::on_rtp_socket_datagram(RtpSocket& socket, std::span<std::uint8_t> data, const Endpoint& from) {
  for (auto& [id, p] : participants_) {
    if (&socket == &p->ports->rtcp()) {
      ++p->stats.rtcp_in;
      return;
    }
    if (&socket != &p->ports->rtp()) continue;
    auto h = rtp::parse_rtp(data);
    const bool event = h && p->te_pt >= 0 && h->payload_type == p->te_pt;
    if (!h || rtp::is_rtcp(data) || (!event && h->payload_type != payload_type_for(p->law)) ||
        !p->latch.accept(from)) {
      ++p->stats.dropped;
      return;
    }
    ++p->stats.rtp_in;
    if (event) return on_telephone_event(id, *p, *h);  // the mix has no place for events: the others hear nothing
    if (!mixer_.push(id, h->sequence, h->payload)) ++p->stats.dropped;
    return;
  }
}

void ConferenceRoom::on_telephone_event(ParticipantId id, Participant& p, const rtp::RtpView& h) {
  auto d = p.detector.on_packet(h.timestamp, h.payload);
  if (!d || !d->digit) return;
  ++p.stats.dtmf_detected;
  if (listener_) listener_->on_room_dtmf(*this, id, d->digit, std::chrono::milliseconds(d->duration / 8));
}

void ConferenceRoom::tick() {
  std::array<std::uint8_t, 1500> packet{};
  mixer_.tick([&](ParticipantId id, std::span<const std::uint8_t> frame) {
    auto it = participants_.find(id);
    if (it == participants_.end()) return;
    auto& p = *it->second;
    const auto dest = p.latch.destination();
    if (!dest || rtp::kRtpHeaderSize + frame.size() > packet.size()) return;
    rtp::write_rtp_header(packet, {false, static_cast<std::uint8_t>(payload_type_for(p.law)), p.seq++, p.ts, p.ssrc});
    p.ts += static_cast<std::uint32_t>(frame.size());
    std::copy(frame.begin(), frame.end(), packet.begin() + rtp::kRtpHeaderSize);
    if (p.ports->rtp().send_to(std::span(packet).first(rtp::kRtpHeaderSize + frame.size()), *dest)) ++p.stats.rtp_out;
  });
}

std::optional<ConferenceRoom::ParticipantStats> ConferenceRoom::stats(ParticipantId id) const {
  auto it = participants_.find(id);
  if (it == participants_.end()) return std::nullopt;
  return it->second->stats;
}

std::string ConferenceRoom::dump() const { return "ConferenceRoom{" + mixer_.dump() + "}"; }

}  // namespace portier::media
