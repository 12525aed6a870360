// The relay on real loopback UDP sockets: two fake endpoints send RTP through a relay; latching, hijack attempts,
// SSRC rewriting, RTCP, DTMF both ways, idle timeout and port exhaustion.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <chrono>
#include <optional>
#include <vector>

#include "media/g711.hpp"
#include "media/goertzel.hpp"
#include "media/media_engine.hpp"
#include "media/media_error.hpp"
#include "media/media_relay.hpp"
#include "media/recorder.hpp"
#include "media/tone_generator.hpp"
#include "rtp/rtcp_packet.hpp"
#include "rtp/rtp_packet.hpp"
#include "rtp/telephone_event.hpp"
#include "unit/media/loopback_peer.hpp"

namespace portier::media {
namespace {

using test::kLoopback;
using test::Peer;

using namespace std::chrono_literals;
namespace asio = boost::asio;
using udp = asio::ip::udp;

LegRemote remote(std::optional<Endpoint> rtp, int te_pt = -1) {
  LegRemote r;
  r.rtp = rtp;
  r.telephone_event_pt = te_pt;
  return r;
}

struct Events : MediaRelayListener {
  void on_relay_idle(MediaRelay&) override { ++idle; }
  void on_relay_dtmf(MediaRelay&, Side from, char digit, std::chrono::milliseconds) override {
    digits += digit;
    sides.push_back(from);
  }
  void on_relay_playback_done(MediaRelay&, Side to) override { done.push_back(to); }
  int idle = 0;
  std::vector<Side> done;
  std::string digits;
  std::vector<Side> sides;
};

class RelayTest : public ::testing::Test {
 protected:
  RtpConfig config(std::uint16_t min, std::uint16_t max) {
    RtpConfig c;
    c.bind_address = "127.0.0.1";
    c.port_min = min;
    c.port_max = max;
    c.latch_packets = 3;
    c.idle_timeout = 30s;
    return c;
  }
  std::unique_ptr<MediaRelay> relay(MediaEngine& engine) {
    auto r = engine.create_relay(events);
    EXPECT_TRUE(r) << r.error().what();
    return r ? std::move(*r) : nullptr;
  }

  asio::io_context io;
  FakeClock clock;
  Events events;
};

TEST_F(RelayTest, PassThroughWithLatchingBothWays) {
  MediaEngine engine(io, clock, config(46000, 46999));
  auto r = relay(engine);
  ASSERT_TRUE(r);
  EXPECT_NE(r->local_port(Side::a), r->local_port(Side::b));
  EXPECT_EQ(r->local_port(Side::a) % 2, 0);
  Peer a(io), b(io);
  r->set_remote(Side::a, remote(a.endpoint(), 101));
  r->set_remote(Side::b, LegRemote{});  // callee behind NAT: nothing usable signalled, learnt by latching

  a.send_rtp(r->local_port(Side::a), 1, 160, 0xaaaa);
  EXPECT_FALSE(b.receive(io, 50ms));
  EXPECT_EQ(r->stats(Side::b).dropped_no_destination, 1u);

  b.send_rtp(r->local_port(Side::b), 7, 700, 0xbbbb);
  auto at_a = a.receive(io);
  ASSERT_TRUE(at_a);
  auto h = rtp::parse_rtp(*at_a);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->ssrc, 0xbbbbu);  // pass-through: untouched
  EXPECT_EQ(h->sequence, 7);
  EXPECT_EQ(h->payload.size(), 160u);

  a.send_rtp(r->local_port(Side::a), 2, 320, 0xaaaa);
  auto at_b = b.receive(io);
  ASSERT_TRUE(at_b);
  EXPECT_EQ(rtp::parse_rtp(*at_b)->sequence, 2);
  EXPECT_EQ(r->stats(Side::a).rtp_in, 2u);
  EXPECT_EQ(r->stats(Side::b).rtp_out, 1u);

  // Garbage is dropped and counted.
  b.send({1, 2, 3}, r->local_port(Side::b));
  EXPECT_FALSE(a.receive(io, 50ms));
  EXPECT_EQ(r->stats(Side::b).dropped_malformed, 1u);
}

TEST_F(RelayTest, ToneCrossesTheRelayIntact) {
  MediaEngine engine(io, clock, config(46000, 46999));
  auto r = relay(engine);
  ASSERT_TRUE(r);
  Peer a(io), b(io);
  r->set_remote(Side::a, remote(a.endpoint()));
  r->set_remote(Side::b, remote(b.endpoint()));
  const auto tone = make_tone(1000, 0, 200ms);
  std::vector<std::int16_t> heard;
  for (std::uint16_t i = 0; i < 10; ++i) {
    std::vector<std::uint8_t> enc(160);
    g711_encode(G711Law::ulaw, std::span(tone).subspan(i * 160u, 160), enc);
    a.send_rtp(r->local_port(Side::a), i, i * 160u, 1, 0, enc);
    auto got = b.receive(io);
    ASSERT_TRUE(got);
    auto h = rtp::parse_rtp(*got);
    std::vector<std::int16_t> pcm(h->payload.size());
    g711_decode(G711Law::ulaw, h->payload, pcm);
    heard.insert(heard.end(), pcm.begin(), pcm.end());
  }
  EXPECT_TRUE(Goertzel(1000, 8000).detect(heard));
  EXPECT_FALSE(Goertzel(1400, 8000).detect(heard));
}

TEST_F(RelayTest, HijackAttemptIsDropped) {
  MediaEngine engine(io, clock, config(46000, 46999));
  auto r = relay(engine);
  ASSERT_TRUE(r);
  Peer a(io), b(io), attacker(io);
  r->set_remote(Side::a, remote(a.endpoint()));
  // The callee signalled a private address; its packets come from the NAT (here: loopback).
  r->set_remote(Side::b, remote(Endpoint(asio::ip::make_address("10.9.9.9"), 4000)));
  for (std::uint16_t i = 0; i < 3; ++i) {
    b.send_rtp(r->local_port(Side::b), i, i * 160u, 0xb);
    ASSERT_TRUE(a.receive(io));
  }
  // After the latching window, another source is refused...
  attacker.send_rtp(r->local_port(Side::b), 100, 16000, 0xe71);
  EXPECT_FALSE(a.receive(io, 100ms));
  EXPECT_EQ(r->stats(Side::b).dropped_source, 1u);
  // ...and media for the callee still goes to the latched source, not to the attacker.
  a.send_rtp(r->local_port(Side::a), 1, 160, 0xa);
  EXPECT_TRUE(b.receive(io));
  EXPECT_FALSE(attacker.receive(io, 50ms));
}

TEST_F(RelayTest, SsrcRewritingHidesACalleeChange) {
  MediaEngine engine(io, clock, config(46000, 46999));
  auto r = relay(engine);
  ASSERT_TRUE(r);
  Peer a(io), b1(io), b2(io);
  r->set_remote(Side::a, remote(a.endpoint()));
  r->set_remote(Side::b, remote(b1.endpoint()));
  r->set_rewrite(Side::a, true);
  std::vector<rtp::RtpView> seen;
  std::vector<std::vector<std::uint8_t>> keep;
  for (std::uint16_t i = 0; i < 3; ++i) {
    b1.send_rtp(r->local_port(Side::b), 100 + i, 1000 + i * 160u, 0x1111);
    keep.push_back(*a.receive(io));
  }
  // Transfer: another phone takes over leg B with its own SSRC and numbering.
  r->set_remote(Side::b, remote(b2.endpoint()));
  for (std::uint16_t i = 0; i < 2; ++i) {
    b2.send_rtp(r->local_port(Side::b), 50000 + i, 9'000'000 + i * 160u, 0x2222);
    auto got = a.receive(io);
    ASSERT_TRUE(got);
    keep.push_back(*got);
  }
  for (const auto& k : keep) seen.push_back(*rtp::parse_rtp(k));
  const auto ssrc = seen[0].ssrc;
  EXPECT_NE(ssrc, 0x1111u);
  for (std::size_t i = 1; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].ssrc, ssrc);
    EXPECT_EQ(seen[i].sequence, static_cast<std::uint16_t>(seen[0].sequence + i));
    EXPECT_GT(static_cast<std::int32_t>(seen[i].timestamp - seen[i - 1].timestamp), 0);
  }
  EXPECT_TRUE(seen[3].marker);  // the switch is flagged
  EXPECT_FALSE(seen[4].marker);
}

TEST_F(RelayTest, RtcpIsForwardedWithRewrittenSsrc) {
  MediaEngine engine(io, clock, config(46000, 46999));
  auto r = relay(engine);
  ASSERT_TRUE(r);
  Peer a(io), b(io);
  // Each peer's RTCP socket sits at its RTP port + 1 (the default when no a=rtcp).
  const auto a_port = a.endpoint().port();
  Peer a_rtcp(io, static_cast<std::uint16_t>(a_port + 1));
  r->set_remote(Side::a, remote(a.endpoint()));
  r->set_remote(Side::b, [&] {
    auto x = remote(b.endpoint());
    x.rtcp = b.endpoint();
    return x;
  }());  // b sends RTCP from its RTP socket
  r->set_rewrite(Side::a, true);
  b.send_rtp(r->local_port(Side::b), 1, 160, 0x5151);
  auto media = a.receive(io);
  ASSERT_TRUE(media);
  const auto rewritten = rtp::parse_rtp(*media)->ssrc;
  std::vector<std::uint8_t> sr(28, 0);
  sr[0] = 0x80;
  sr[1] = 200;
  sr[3] = 6;
  rtp::store32(&sr[4], 0x5151);
  b.send(sr, static_cast<std::uint16_t>(r->local_port(Side::b) + 1));
  auto got = a_rtcp.receive(io);
  ASSERT_TRUE(got);
  auto v = rtp::parse_rtcp(*got);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->type, 200);
  EXPECT_EQ(v->ssrc, rewritten);
  EXPECT_EQ(r->stats(Side::b).rtcp_in, 1u);
  EXPECT_EQ(r->stats(Side::a).rtcp_out, 1u);
}

TEST_F(RelayTest, DtmfDetectedOnceAndGenerated) {
  MediaEngine engine(io, clock, config(46000, 46999));
  auto r = relay(engine);
  ASSERT_TRUE(r);
  Peer a(io), b(io);
  r->set_remote(Side::a, remote(a.endpoint(), 101));
  r->set_remote(Side::b, remote(b.endpoint(), 96));
  std::uint16_t seq = 0;
  for (std::uint32_t ts : {8000u, 16000u}) {
    for (const auto& p : rtp::plan_telephone_event(ts == 8000u ? 4 : 11, 100ms)) {
      std::vector<std::uint8_t> payload(4);
      rtp::write_telephone_event(payload, p.payload);
      a.send_rtp(r->local_port(Side::a), seq++, ts, 0xa, 101, payload, p.marker);
      ASSERT_TRUE(b.receive(io));  // events are relayed too
    }
  }
  EXPECT_EQ(events.digits, "4#");
  EXPECT_EQ(events.sides, (std::vector<Side>{Side::a, Side::a}));

  // Generate '7' towards B on B's payload type.
  ASSERT_TRUE(r->send_dtmf(Side::b, '7', 60ms));
  EXPECT_FALSE(r->send_dtmf(Side::b, 'x'));
  const auto packets = b.drain(io, 1000ms);  // 100 ms of events; slack for a loaded machine
  ASSERT_EQ(packets.size(), 3u + 3u);
  rtp::TelephoneEventDetector detector;
  std::string got;
  for (const auto& p : packets) {
    auto h = rtp::parse_rtp(p);
    ASSERT_TRUE(h);
    EXPECT_EQ(h->payload_type, 96);
    if (auto d = detector.on_packet(h->timestamp, h->payload)) got += d->digit;
  }
  EXPECT_EQ(got, "7");
  EXPECT_EQ(r->stats(Side::b).dtmf_sent, 1u);
}

TEST_F(RelayTest, VisitorMessagePromptThenRecording) {
  MediaEngine engine(io, clock, config(46000, 46999));
  auto r = relay(engine);
  ASSERT_TRUE(r);
  Peer visitor(io), resident(io);
  r->set_remote(Side::a, remote(visitor.endpoint()));
  r->set_remote(Side::b, remote(resident.endpoint()));
  // The beep prompt goes to the visitor, in place of what the resident's side sends.
  ASSERT_TRUE(r->play(Side::a, make_prompt(Prompt::beep), G711Law::alaw));
  EXPECT_TRUE(r->playing(Side::a));
  resident.send_rtp(r->local_port(Side::b), 1, 160, 0xbe);
  std::vector<std::int16_t> heard;
  for (const auto& pkt : visitor.drain(io, 600ms)) {
    auto h = rtp::parse_rtp(pkt);
    ASSERT_TRUE(h);
    ASSERT_EQ(h->payload_type, 8);
    std::vector<std::int16_t> pcm(h->payload.size());
    g711_decode(G711Law::alaw, h->payload, pcm);
    heard.insert(heard.end(), pcm.begin(), pcm.end());
  }
  EXPECT_EQ(heard.size(), 2000u);  // the whole 250 ms beep, nothing of the resident
  EXPECT_TRUE(Goertzel(1000, 8000).detect(heard));
  EXPECT_EQ(r->stats(Side::a).suppressed, 1u);
  EXPECT_EQ(events.done, (std::vector<Side>{Side::a}));
  EXPECT_FALSE(r->playing(Side::a));
  // Then the visitor speaks and the recorder taps leg A.
  Recorder recorder(std::chrono::seconds(2));
  r->set_tap(Side::a, &recorder);
  const auto tone = make_tone(600, 0, 100ms);
  for (std::uint16_t i = 0; i < 5; ++i) {
    std::vector<std::uint8_t> enc(160);
    g711_encode(G711Law::ulaw, std::span(tone).subspan(i * 160u, 160), enc);
    visitor.send_rtp(r->local_port(Side::a), i, i * 160u, 0x71, 0, enc);
    ASSERT_TRUE(resident.receive(io));
  }
  r->set_tap(Side::a, nullptr);
  EXPECT_EQ(recorder.samples().size(), 800u);
  EXPECT_TRUE(Goertzel(600, 8000).detect(recorder.samples()));
}

TEST_F(RelayTest, DtmfNeedsTelephoneEventOnTheLeg) {
  MediaEngine engine(io, clock, config(46000, 46999));
  auto r = relay(engine);
  ASSERT_TRUE(r);
  Peer b(io);
  r->set_remote(Side::b, remote(b.endpoint()));
  auto st = r->send_dtmf(Side::b, '1');
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, errc::no_destination);
}

TEST_F(RelayTest, IdleTimeoutReportsOnce) {
  MediaEngine engine(io, clock, config(46000, 46999));
  auto r = relay(engine);
  ASSERT_TRUE(r);
  Peer a(io), b(io);
  r->set_remote(Side::a, remote(a.endpoint()));
  r->set_remote(Side::b, remote(b.endpoint()));
  clock.advance(20s);
  a.send_rtp(r->local_port(Side::a), 1, 160, 1);  // activity resets the timer
  ASSERT_TRUE(b.receive(io));
  clock.advance(20s);
  r->check_idle();
  EXPECT_EQ(events.idle, 0);
  clock.advance(11s);
  r->check_idle();
  EXPECT_EQ(events.idle, 1);
  r->check_idle();
  EXPECT_EQ(events.idle, 1);
}

TEST_F(RelayTest, PortRangeExhaustedIsAnErrorAndPortsComeBack) {
  MediaEngine engine(io, clock, config(46900, 46905));  // three pairs
  auto first = engine.create_relay(events);
  ASSERT_TRUE(first) << first.error().what();
  auto second = engine.create_relay(events);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, errc::port_range_exhausted);
  EXPECT_EQ(engine.pool().in_use(), 2u);  // the half-allocated relay gave its pair back
  first->reset();
  EXPECT_EQ(engine.pool().in_use(), 0u);
  auto third = engine.create_relay(events);
  EXPECT_TRUE(third);
}

TEST_F(RelayTest, PortHeldByAnotherProcessIsSkipped) {
  Peer squatter(io, 46800);  // holds the first RTP port of the range
  MediaEngine engine(io, clock, config(46800, 46809));
  auto r = relay(engine);
  ASSERT_TRUE(r);
  EXPECT_NE(r->local_port(Side::a), 46800);
  EXPECT_NE(r->local_port(Side::b), 46800);
}

TEST_F(RelayTest, BadConfigurationThrowsAtStartUp) {
  EXPECT_THROW(MediaEngine(io, clock, config(47000, 47000)), std::invalid_argument);
  auto c = config(47000, 47010);
  c.bind_address = "not-an-ip";
  EXPECT_THROW(MediaEngine(io, clock, c), std::invalid_argument);
}

TEST_F(RelayTest, LegRemoteFromNegotiation) {
  sdp::NegotiatedMedia m;
  m.remote_address = "192.0.2.5";
  m.remote_rtp_port = 4000;
  m.remote_rtcp_address = "192.0.2.5";
  m.remote_rtcp_port = 4001;
  m.telephone_event = sdp::Codec{"telephone-event", 101, 8000, 1, "0-16"};
  auto r = leg_remote_from(m);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->rtp->port(), 4000);
  EXPECT_EQ(r->telephone_event_pt, 101);
  m.remote_address = "0.0.0.0";
  EXPECT_FALSE(leg_remote_from(m)->rtp);
  m.remote_address = "phone.example.com";
  EXPECT_EQ(leg_remote_from(m).error().code, errc::invalid_address);
}

}  // namespace
}  // namespace portier::media
