// Codec bridging in the relay on real loopback UDP sockets: legs that negotiated different G.711 laws hear each
// other (µ-law in on A comes out as the matching A-law codes on B and back), legs on the same codec are passed
// through byte for byte, and telephone-event payload types are renumbered per leg with RFC 4733 detection intact.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "media/g711.hpp"
#include "media/goertzel.hpp"
#include "media/media_engine.hpp"
#include "media/media_relay.hpp"
#include "media/tone_generator.hpp"
#include "rtp/rtp_packet.hpp"
#include "rtp/telephone_event.hpp"
#include "unit/media/loopback_peer.hpp"

namespace portier::media {
namespace {

using test::Peer;
using namespace std::chrono_literals;
namespace asio = boost::asio;

LegRemote remote(const Endpoint& rtp, G711Law law, int te_pt = -1) {
  LegRemote r;
  r.rtp = rtp;
  r.telephone_event_pt = te_pt;
  r.law = law;
  r.audio_pt = payload_type_for(law);
  return r;
}

struct Events : MediaRelayListener {
  void on_relay_idle(MediaRelay&) override {}
  void on_relay_dtmf(MediaRelay&, Side from, char digit, std::chrono::milliseconds) override {
    digits += digit;
    sides.push_back(from);
  }
  std::string digits;
  std::vector<Side> sides;
};

class RelayBridgeTest : public ::testing::Test {
 protected:
  RelayBridgeTest() {
    RtpConfig c;
    c.bind_address = "127.0.0.1";
    c.port_min = 47000;
    c.port_max = 47999;
    engine.emplace(io, clock, c);
    auto r = engine->create_relay(events);
    EXPECT_TRUE(r) << r.error().what();
    if (r) relay = std::move(*r);
  }

  // Sends 200 ms of a `hz` tone in `law` from `from` into leg `in`; returns every datagram `to` received.
  std::vector<std::vector<std::uint8_t>> send_tone(Peer& from, Side in, Peer& to, G711Law law, int hz,
                                                   std::vector<std::vector<std::uint8_t>>* sent = nullptr) {
    const auto tone = make_tone(hz, 0, 200ms);
    std::vector<std::vector<std::uint8_t>> got;
    for (std::uint16_t i = 0; i < 10; ++i) {
      std::vector<std::uint8_t> enc(160);
      g711_encode(law, std::span(tone).subspan(i * 160u, 160), enc);
      if (sent) sent->push_back(enc);
      from.send_rtp(relay->local_port(in), i, i * 160u, 0x51, static_cast<std::uint8_t>(payload_type_for(law)), enc);
      if (auto p = to.receive(io)) got.push_back(std::move(*p));
    }
    return got;
  }
  // The packets' payloads decoded as `law`, after checking that they carry `pt`.
  static std::vector<std::int16_t> decode(const std::vector<std::vector<std::uint8_t>>& packets, G711Law law) {
    std::vector<std::int16_t> pcm;
    for (const auto& p : packets) {
      auto h = rtp::parse_rtp(p);
      EXPECT_TRUE(h);
      if (!h) continue;
      EXPECT_EQ(h->payload_type, payload_type_for(law));
      std::vector<std::int16_t> frame(h->payload.size());
      g711_decode(law, h->payload, frame);
      pcm.insert(pcm.end(), frame.begin(), frame.end());
    }
    return pcm;
  }

  asio::io_context io;
  FakeClock clock;
  Events events;
  std::optional<MediaEngine> engine;
  std::unique_ptr<MediaRelay> relay;
};

TEST_F(RelayBridgeTest, UlawToneComesOutAsTheMatchingAlawSamplesAndBack) {
  ASSERT_TRUE(relay);
  Peer a(io), b(io);
  relay->set_remote(Side::a, remote(a.endpoint(), G711Law::ulaw));
  relay->set_remote(Side::b, remote(b.endpoint(), G711Law::alaw));

  std::vector<std::vector<std::uint8_t>> sent;
  const auto at_b = send_tone(a, Side::a, b, G711Law::ulaw, 1000, &sent);
  ASSERT_EQ(at_b.size(), 10u);
  for (std::size_t i = 0; i < at_b.size(); ++i) {
    auto h = rtp::parse_rtp(at_b[i]);
    ASSERT_TRUE(h);
    EXPECT_EQ(h->payload_type, 8);  // PCMA, as B negotiated
    EXPECT_EQ(h->sequence, i);      // only the codec changes
    ASSERT_EQ(h->payload.size(), 160u);
    for (std::size_t k = 0; k < 160; ++k) ASSERT_EQ(h->payload[k], ulaw_to_alaw(sent[i][k])) << "sample " << k;
  }
  const auto heard_b = decode(at_b, G711Law::alaw);
  EXPECT_TRUE(Goertzel(1000, 8000).detect(heard_b));
  EXPECT_FALSE(Goertzel(1400, 8000).detect(heard_b));
  EXPECT_EQ(relay->stats(Side::b).transcoded, 10u);

  // And the other way: A-law from B reaches A as µ-law.
  const auto at_a = send_tone(b, Side::b, a, G711Law::alaw, 1400);
  ASSERT_EQ(at_a.size(), 10u);
  const auto heard_a = decode(at_a, G711Law::ulaw);
  EXPECT_TRUE(Goertzel(1400, 8000).detect(heard_a));
  EXPECT_FALSE(Goertzel(1000, 8000).detect(heard_a));
  EXPECT_EQ(relay->stats(Side::a).transcoded, 10u);
}

TEST_F(RelayBridgeTest, SameCodecLegsArePassedThroughByteForByte) {
  ASSERT_TRUE(relay);
  Peer a(io), b(io);
  relay->set_remote(Side::a, remote(a.endpoint(), G711Law::alaw, 101));
  relay->set_remote(Side::b, remote(b.endpoint(), G711Law::alaw, 101));
  std::vector<std::uint8_t> sent(12);
  rtp::write_rtp_header(sent, {true, 8, 77, 12345, 0xabcdef});
  for (int i = 0; i < 160; ++i) sent.push_back(static_cast<std::uint8_t>(i * 7));
  a.send(sent, relay->local_port(Side::a));
  const auto got = b.receive(io);
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, sent);
  EXPECT_EQ(relay->stats(Side::b).transcoded, 0u);
  EXPECT_EQ(relay->stats(Side::b).renumbered, 0u);
}

// A phone whose answer allowed both laws may send the one that was not agreed: recognised by its static payload type.
TEST_F(RelayBridgeTest, TheOtherLawByItsStaticPayloadTypeIsConvertedToo) {
  ASSERT_TRUE(relay);
  Peer a(io), b(io);
  relay->set_remote(Side::a, remote(a.endpoint(), G711Law::ulaw));
  relay->set_remote(Side::b, remote(b.endpoint(), G711Law::ulaw));
  const auto at_b = send_tone(a, Side::a, b, G711Law::alaw, 1000);  // PCMA (8) on a PCMU leg
  ASSERT_EQ(at_b.size(), 10u);
  EXPECT_TRUE(Goertzel(1000, 8000).detect(decode(at_b, G711Law::ulaw)));  // arrives as PCMU (0)
  EXPECT_EQ(relay->stats(Side::b).transcoded, 10u);
}

TEST_F(RelayBridgeTest, TelephoneEventsAreRenumberedPerLegAndStillDetected) {
  ASSERT_TRUE(relay);
  Peer a(io), b(io);
  relay->set_remote(Side::a, remote(a.endpoint(), G711Law::ulaw, 101));
  relay->set_remote(Side::b, remote(b.endpoint(), G711Law::alaw, 96));
  std::uint16_t seq = 0;
  const auto plan = rtp::plan_telephone_event(5, 100ms);
  for (const auto& p : plan) {
    std::vector<std::uint8_t> payload(4);
    rtp::write_telephone_event(payload, p.payload);
    a.send_rtp(relay->local_port(Side::a), seq++, 8000, 0xa, 101, payload, p.marker);
    auto got = b.receive(io);
    ASSERT_TRUE(got);
    auto h = rtp::parse_rtp(*got);
    ASSERT_TRUE(h);
    EXPECT_EQ(h->payload_type, 96);  // B's number for telephone-event
    EXPECT_EQ(h->marker, p.marker);
    EXPECT_EQ(std::vector<std::uint8_t>(h->payload.begin(), h->payload.end()), payload);  // events are not audio
  }
  // B's events on 96 are detected on B and reach A as 101.
  for (const auto& p : rtp::plan_telephone_event(11, 100ms)) {
    std::vector<std::uint8_t> payload(4);
    rtp::write_telephone_event(payload, p.payload);
    b.send_rtp(relay->local_port(Side::b), seq++, 16000, 0xb, 96, payload, p.marker);
    auto got = a.receive(io);
    ASSERT_TRUE(got);
    EXPECT_EQ(rtp::parse_rtp(*got)->payload_type, 101);
  }
  EXPECT_EQ(events.digits, "5#");
  EXPECT_EQ(events.sides, (std::vector<Side>{Side::a, Side::b}));
  EXPECT_EQ(relay->stats(Side::b).renumbered, plan.size());
  EXPECT_EQ(relay->stats(Side::b).transcoded, 0u);
}

TEST_F(RelayBridgeTest, LegRemoteCarriesTheNegotiatedCodec) {
  sdp::NegotiatedMedia m;
  m.remote_address = "127.0.0.1";
  m.remote_rtp_port = 4000;
  m.codec = {"PCMA", 8, 8000, 1, ""};
  m.telephone_event = sdp::Codec{"telephone-event", 96, 8000, 1, "0-16"};
  auto r = leg_remote_from(m);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->law, G711Law::alaw);
  EXPECT_EQ(r->audio_pt, 8);
  EXPECT_EQ(r->telephone_event_pt, 96);
  m.codec = {"opus", 111, 48000, 2, ""};
  r = leg_remote_from(m);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->law);  // not bridged: passed through as it is
  EXPECT_EQ(r->audio_pt, 111);
}

}  // namespace
}  // namespace portier::media
