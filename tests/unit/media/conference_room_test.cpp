// The conference room on loopback: three phones, two speaking different tones; each hears the others' tones and
// not its own. RFC 4733 digits of a participant are reported once each and kept out of the mix.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <span>
#include <tuple>

#include "media/conference_room.hpp"
#include "media/g711.hpp"
#include "media/goertzel.hpp"
#include "media/media_error.hpp"
#include "media/tone_generator.hpp"
#include "rtp/telephone_event.hpp"
#include "unit/media/loopback_peer.hpp"

namespace portier::media {
namespace {

using test::Peer;
using namespace std::chrono_literals;

// Three participants on loopback: 1 and 2 speak µ-law, 3 A-law; `heard` collects what each one decoded.
class ThreeInARoom {
 public:
  explicit ThreeInARoom(std::uint16_t port_min)
      : engine_(io, clock_, config(port_min)), room(engine_), p1(io), p2(io), p3(io) {}

  // Adds the three and points the room at their peers; false (with a failure recorded) when a port is missing.
  void join() {
    for (std::uint32_t id : {1u, 2u, 3u}) {
      auto port = room.add(id, id == 3 ? G711Law::alaw : G711Law::ulaw);
      ASSERT_TRUE(port) << port.error().what();
      ports[id] = *port;
    }
    room.set_remote(1, p1.endpoint());
    room.set_remote(2, p2.endpoint());
    room.set_remote(3, p3.endpoint());
  }
  // Lets the room run one 20 ms frame, then collects what each participant received.
  void frame() {
    io.run_for(20ms);
    collect(p1, 1, G711Law::ulaw);
    collect(p2, 2, G711Law::ulaw);
    collect(p3, 3, G711Law::alaw);
  }

  boost::asio::io_context io;

 private:
  static RtpConfig config(std::uint16_t port_min) {
    RtpConfig c;
    c.bind_address = "127.0.0.1";
    c.port_min = port_min;
    c.port_max = static_cast<std::uint16_t>(port_min + 99);
    return c;
  }
  void collect(Peer& peer, int id, G711Law law) {
    while (auto pkt = peer.receive(io, 0ms)) {
      auto h = rtp::parse_rtp(*pkt);
      ASSERT_TRUE(h);
      std::vector<std::int16_t> pcm(h->payload.size());
      g711_decode(law, h->payload, pcm);
      heard[id].insert(heard[id].end(), pcm.begin(), pcm.end());
    }
  }
  SystemClock clock_;
  MediaEngine engine_;

 public:
  ConferenceRoom room;
  Peer p1, p2, p3;
  std::map<std::uint32_t, std::uint16_t> ports;
  std::map<int, std::vector<std::int16_t>> heard;
};

TEST(ConferenceRoom, EachHearsTheOthersNotThemselves) {
  ThreeInARoom t(45000);
  ASSERT_NO_FATAL_FAILURE(t.join());
  auto [room, ports, heard] = std::tie(t.room, t.ports, t.heard);
  EXPECT_FALSE(room.add(1, G711Law::ulaw));
  room.start();

  const auto tone1 = make_tone(700, 0, 1000ms);
  const auto tone2 = make_tone(1300, 0, 1000ms);
  for (std::uint16_t i = 0; i < 40; ++i) {
    std::vector<std::uint8_t> f1(160), f2(160), f3(160);
    g711_encode(G711Law::ulaw, std::span(tone1).subspan(i * 160u, 160), f1);
    g711_encode(G711Law::ulaw, std::span(tone2).subspan(i * 160u, 160), f2);
    std::vector<std::int16_t> silence(160, 0);
    g711_encode(G711Law::alaw, silence, f3);
    t.p1.send_rtp(ports[1], i, i * 160u, 11, 0, f1);
    t.p2.send_rtp(ports[2], i, i * 160u, 22, 0, f2);
    t.p3.send_rtp(ports[3], i, i * 160u, 33, 8, f3);
    t.frame();
  }
  for (int id : {1, 2, 3}) ASSERT_GE(heard[id].size(), 20u * 160u) << id;
  // Analyse the middle of the call (after the pre-buffer, before the end).
  auto mid = [&](int id) { return std::span<const std::int16_t>(heard[id]).subspan(1600, 3200); };
  const Goertzel g700(700, 8000), g1300(1300, 8000);
  EXPECT_GT(g700.relative_power(mid(3)), 0.3);
  EXPECT_GT(g1300.relative_power(mid(3)), 0.3);
  EXPECT_LT(g700.relative_power(mid(1)), 0.05);  // not its own voice
  EXPECT_GT(g1300.relative_power(mid(1)), 0.8);
  EXPECT_GT(g700.relative_power(mid(2)), 0.8);
  EXPECT_LT(g1300.relative_power(mid(2)), 0.05);
  EXPECT_GT(room.stats(1)->rtp_in, 30u);
  EXPECT_GT(room.stats(3)->rtp_out, 30u);

  room.remove(2);
  EXPECT_EQ(room.size(), 2u);
  EXPECT_FALSE(room.stats(2));
}

struct DigitLog : ConferenceRoom::Listener {
  void on_room_dtmf(ConferenceRoom&, ConferenceRoom::ParticipantId id, char digit, std::chrono::milliseconds) override {
    digits.emplace_back(id, digit);
  }
  std::vector<std::pair<ConferenceRoom::ParticipantId, char>> digits;
};

// One RFC 4733 event as a sender sends it: growing durations, then the end packet three times, one timestamp.
void send_event(Peer& peer, std::uint16_t port, std::uint8_t pt, std::uint8_t event, std::uint16_t& seq,
                std::uint32_t ts, std::uint32_t ssrc) {
  for (const auto& planned : rtp::plan_telephone_event(event, 100ms)) {
    std::vector<std::uint8_t> payload(rtp::kTelephoneEventSize);
    rtp::write_telephone_event(payload, planned.payload);
    peer.send_rtp(port, seq++, ts, ssrc, pt, payload, planned.marker);
  }
}

TEST(ConferenceRoom, TelephoneEventsAreDetectedPerParticipantAndNotMixed) {
  boost::asio::io_context io;
  SystemClock clock;
  RtpConfig config;
  config.bind_address = "127.0.0.1";
  config.port_min = 45800;
  config.port_max = 45899;
  MediaEngine engine(io, clock, config);
  DigitLog log;
  ConferenceRoom room(engine, MixerConfig{}, &log);
  auto port1 = room.add(1, G711Law::ulaw);
  auto port2 = room.add(2, G711Law::ulaw);
  auto port3 = room.add(3, G711Law::ulaw);
  ASSERT_TRUE(port1 && port2 && port3);
  Peer p1(io), p2(io), p3(io);
  room.set_remote(1, p1.endpoint());
  room.set_remote(2, p2.endpoint());
  room.set_remote(3, p3.endpoint());
  room.set_telephone_event(1, 101);
  room.set_telephone_event(2, 96);
  // 3 negotiated no telephone-event: its events are dropped, not detected.
  room.start();

  std::uint16_t seq1 = 0, seq2 = 0, seq3 = 0;
  send_event(p1, *port1, 101, 11, seq1, 1000, 11);  // '#'
  send_event(p2, *port2, 96, 5, seq2, 2000, 22);     // '5'
  send_event(p1, *port1, 101, 1, seq1, 3000, 11);    // '1'
  send_event(p3, *port3, 101, 11, seq3, 4000, 33);   // not negotiated
  send_event(p2, *port2, 101, 7, seq2, 5000, 22);    // 2's events use 96: 101 is just a wrong payload type
  io.run_for(100ms);

  using Digit = std::pair<ConferenceRoom::ParticipantId, char>;
  // Per participant in order; the sockets are read in any order.
  std::stable_sort(log.digits.begin(), log.digits.end(),
                   [](const Digit& a, const Digit& b) { return a.first < b.first; });
  EXPECT_EQ(log.digits, (std::vector<Digit>{{1, '#'}, {1, '1'}, {2, '5'}}));
  EXPECT_EQ(room.stats(1)->dtmf_detected, 2u);
  EXPECT_EQ(room.stats(2)->dtmf_detected, 1u);
  EXPECT_EQ(room.stats(3)->dtmf_detected, 0u);
  EXPECT_GT(room.stats(3)->dropped, 0u);
  EXPECT_GT(room.stats(2)->dropped, 0u);
  // The events never reached the mixer: nobody hears anything but silence.
  for (Peer* peer : {&p1, &p2, &p3}) {
    for (const auto& pkt : peer->drain(io, 60ms)) {
      auto h = rtp::parse_rtp(pkt);
      ASSERT_TRUE(h);
      EXPECT_EQ(h->payload_type, 0);
      std::vector<std::int16_t> pcm(h->payload.size());
      g711_decode(G711Law::ulaw, h->payload, pcm);
      for (auto s : pcm) ASSERT_LT(std::abs(s), 64);
    }
  }
}

// The door-opened acknowledgement in a conference: the participant who keyed the code hears it mixed into the
// conference; the others keep hearing the conference (a 1300 Hz speaker) without it.
TEST(ConferenceRoom, PlayReachesOneParticipantOnly) {
  ThreeInARoom t(45700);
  ASSERT_NO_FATAL_FAILURE(t.join());
  auto [room, ports, heard] = std::tie(t.room, t.ports, t.heard);
  EXPECT_FALSE(room.play(9, make_prompt(Prompt::door_opened)));  // nobody of that id
  room.start();

  const auto speech = make_tone(1300, 0, 1000ms);
  for (std::uint16_t i = 0; i < 40; ++i) {
    if (i == 10) {
      ASSERT_TRUE(room.play(1, make_prompt(Prompt::door_opened)));  // 660 Hz then 880 Hz, 150 ms each
    }
    std::vector<std::uint8_t> f2(160);
    g711_encode(G711Law::ulaw, std::span(speech).subspan(i * 160u, 160), f2);
    t.p2.send_rtp(ports[2], i, i * 160u, 22, 0, f2);
    t.frame();
  }
  // The best 100 ms window for `hz` in what `id` heard.
  auto best = [&](int id, double hz) {
    const Goertzel g(hz, 8000);
    double out = 0;
    for (std::size_t at = 0; at + 800 <= heard[id].size(); at += 160)
      out = std::max(out, g.relative_power(std::span<const std::int16_t>(heard[id]).subspan(at, 800)));
    return out;
  };
  for (int id : {1, 2, 3}) ASSERT_GE(heard[id].size(), 30u * 160u) << id;
  EXPECT_GT(best(1, 660), 0.3);  // the keying participant: the tone, over the conference
  EXPECT_GT(best(1, 880), 0.3);
  EXPECT_GT(best(1, 1300), 0.3);
  EXPECT_LT(best(3, 660), 0.05);  // another participant: the conference only
  EXPECT_LT(best(3, 880), 0.05);
  EXPECT_GT(best(3, 1300), 0.8);
  EXPECT_LT(best(2, 660), 0.05);  // the speaker hears neither the tone nor itself (silence)
}

TEST(ConferenceRoom, PortExhaustionIsAnError) {
  boost::asio::io_context io;
  SystemClock clock;
  RtpConfig config;
  config.bind_address = "127.0.0.1";
  config.port_min = 45900;
  config.port_max = 45901;  // one pair
  MediaEngine engine(io, clock, config);
  ConferenceRoom room(engine);
  ASSERT_TRUE(room.add(1, G711Law::ulaw));
  auto second = room.add(2, G711Law::ulaw);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, errc::port_range_exhausted);
  EXPECT_EQ(room.size(), 1u);
}

}  // namespace
}  // namespace portier::media
