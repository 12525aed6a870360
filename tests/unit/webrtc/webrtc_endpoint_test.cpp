// WebRtcEndpoint against the loopback browser (ICE checks, DTLS client, SRTP) and a plain UDP socket as the SIP
// side: connection, media both ways (pass-through, PCMU<->PCMA, Opus transcoding), telephone-event, RTCP, DTMF,
// and the failures (wrong fingerprint, consent lost, bad M-I, no ports).
#include "webrtc/webrtc_endpoint.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "media/g711.hpp"
#include "media/media_error.hpp"
#include "media/opus_codec.hpp"
#include "rtp/rtcp_packet.hpp"
#include "rtp/telephone_event.hpp"
#include "sdp/parser.hpp"
#include "unit/webrtc/endpoint_fixture.hpp"
#include "bench/webrtc/loopback_client.hpp"
#include "webrtc/webrtc_error.hpp"

namespace portier::webrtc::test {
namespace {

class Recorder final : public WebRtcEndpoint::Listener {
 public:
  void on_endpoint_connected(WebRtcEndpoint&) override { ++connected; }
  void on_endpoint_failed(WebRtcEndpoint&, const std::string& r) override {
    ++failed;
    reason = r;
  }
  int connected = 0;
  int failed = 0;
  std::string reason;
};

std::vector<std::uint8_t> tone_ulaw(std::size_t n, int phase = 0) {
  std::vector<std::uint8_t> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = media::linear_to_ulaw(static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 440 * double(i + phase) / 8000)));
  }
  return out;
}

class WebRtcEndpointTest : public EngineFixture {
 protected:
  std::unique_ptr<WebRtcEndpoint> make(EndpointOptions o = {}) {
    auto e = WebRtcEndpoint::create(engine_, certificate(), std::move(o), listener_);
    EXPECT_TRUE(e) << e.error().what();
    return e ? std::move(*e) : nullptr;
  }
  // Offer/answer, SIP remote, ICE + DTLS until both sides are connected.
  void connect(WebRtcEndpoint& e, LoopbackClient& client, SipCodec codec = SipCodec::pcmu) {
    auto answer = e.accept_offer(client.offer());
    ASSERT_TRUE(answer) << answer.error().what();
    answer_ = *answer;
    ASSERT_TRUE(client.set_answer(*answer)) << *answer;
    media::LegRemote remote;
    remote.rtp = sip_.endpoint();
    remote.rtcp = sip_.rtcp_endpoint();
    remote.telephone_event_pt = 101;
    e.set_sip_remote(remote, codec);
    client.start();
    ASSERT_TRUE(run_until([&] { return listener_.connected == 1 && client.connected(); })) << e.dump();
    EXPECT_EQ(e.state(), WebRtcEndpoint::State::connected);
  }
  std::uint32_t answered_ssrc() const {
    auto s = sdp::parse(answer_);
    auto v = s->media[0].attributes.values("ssrc");
    return static_cast<std::uint32_t>(std::stoul(std::string(v.at(0))));
  }

  Recorder listener_;
  SipPeer sip_{io_};
  std::string answer_;
};

TEST_F(WebRtcEndpointTest, PcmuPassThroughBothWays) {
  EndpointOptions o;
  o.codecs = {"PCMU"};
  auto e = make(o);
  LoopbackClient client(io_, {});
  connect(*e, client);
  EXPECT_EQ(e->browser_codec(), "PCMU");

  // Browser -> SIP: SRTP in, plain RTP out with the same payload.
  const auto voice = tone_ulaw(160);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.send_rtp(0, 1000 + 160 * i, voice));
  ASSERT_TRUE(run_until([&] { return sip_.rtp().size() == 3; })) << e->dump();
  auto h = rtp::parse_rtp(sip_.rtp()[0]);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->payload_type, 0);
  EXPECT_EQ(std::vector<std::uint8_t>(h->payload.begin(), h->payload.end()), voice);

  // SIP -> browser: plain RTP in, SRTP out, our announced SSRC, consecutive sequence numbers.
  for (int i = 0; i < 3; ++i) sip_.send(make_rtp(0, static_cast<std::uint16_t>(7 + i), 160u * i, 0xabcdef, voice), e->sip_port());
  ASSERT_TRUE(run_until([&] { return client.rtp().size() == 3; })) << e->dump();
  EXPECT_EQ(client.rtp()[0].payload_type, 0);
  EXPECT_EQ(client.rtp()[0].payload, voice);
  EXPECT_EQ(client.rtp()[0].ssrc, answered_ssrc());
  EXPECT_EQ(static_cast<std::uint16_t>(client.rtp()[1].sequence - client.rtp()[0].sequence), 1);
  EXPECT_EQ(client.rtp()[1].timestamp - client.rtp()[0].timestamp, 160u);
  const auto s = e->stats();
  EXPECT_EQ(s.browser_rtp_in, 3u);
  EXPECT_EQ(s.sip_rtp_out, 3u);
  EXPECT_EQ(s.sip_rtp_in, 3u);
  EXPECT_EQ(s.browser_rtp_out, 3u);
  EXPECT_EQ(s.transcoded, 0u);
}

TEST_F(WebRtcEndpointTest, NothingReachesTheBrowserBeforeConnected) {
  auto e = make();
  LoopbackClient client(io_, {});
  auto answer = e->accept_offer(client.offer());
  ASSERT_TRUE(answer);
  media::LegRemote remote;
  remote.rtp = sip_.endpoint();
  e->set_sip_remote(remote, SipCodec::pcmu);
  sip_.send(make_rtp(0, 1, 0, 5, tone_ulaw(160)), e->sip_port());
  ASSERT_TRUE(run_until([&] { return e->stats().dropped >= 1; }, std::chrono::milliseconds(5000)));
  EXPECT_EQ(e->stats().browser_rtp_out, 0u);
  EXPECT_EQ(e->state(), WebRtcEndpoint::State::connecting);
}

TEST_F(WebRtcEndpointTest, PcmuToPcmaPerSample) {
  EndpointOptions o;
  o.codecs = {"PCMU"};
  auto e = make(o);
  LoopbackClient client(io_, {});
  connect(*e, client, SipCodec::pcma);
  const auto voice = tone_ulaw(160);
  ASSERT_TRUE(client.send_rtp(0, 0, voice));
  ASSERT_TRUE(run_until([&] { return sip_.rtp().size() == 1; }));
  auto h = rtp::parse_rtp(sip_.rtp()[0]);
  EXPECT_EQ(h->payload_type, 8);
  ASSERT_EQ(h->payload.size(), 160u);
  for (std::size_t i = 0; i < 160; ++i) {
    EXPECT_EQ(h->payload[i], media::linear_to_alaw(media::ulaw_to_linear(voice[i])));
  }
  std::vector<std::uint8_t> alaw(160);
  for (std::size_t i = 0; i < 160; ++i) alaw[i] = media::linear_to_alaw(media::ulaw_to_linear(voice[i]));
  sip_.send(make_rtp(8, 1, 0, 9, alaw), e->sip_port());
  ASSERT_TRUE(run_until([&] { return client.rtp().size() == 1; }));
  EXPECT_EQ(client.rtp()[0].payload_type, 0);
  EXPECT_EQ(client.rtp()[0].payload.size(), 160u);
  EXPECT_GE(e->stats().transcoded, 2u);
}

TEST_F(WebRtcEndpointTest, OpusTranscodedBothWays) {
  EndpointOptions o;
  o.codecs = {"opus", "PCMU"};
  auto e = make(o);
  LoopbackClient client(io_, {});
  connect(*e, client);
  EXPECT_EQ(e->browser_codec(), "opus");

  // Browser -> SIP: 20 ms Opus frames become 160-byte PCMU packets with 8 kHz timestamps.
  auto enc = media::OpusEncoder::create(48000, 1);
  ASSERT_TRUE(enc);
  std::vector<std::int16_t> pcm(960);
  std::vector<std::uint8_t> packet(media::kOpusMaxPacketBytes);
  for (int f = 0; f < 5; ++f) {
    for (std::size_t i = 0; i < pcm.size(); ++i) {
      pcm[i] = static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 440 * double(i + 960 * f) / 48000));
    }
    auto n = (*enc)->encode(pcm, packet);
    ASSERT_TRUE(n);
    ASSERT_TRUE(client.send_rtp(111, 960u * f, {packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(*n)}));
  }
  ASSERT_TRUE(run_until([&] { return sip_.rtp().size() == 5; })) << e->dump();
  auto h0 = rtp::parse_rtp(sip_.rtp()[0]);
  auto h1 = rtp::parse_rtp(sip_.rtp()[1]);
  EXPECT_EQ(h0->payload_type, 0);
  EXPECT_EQ(h0->payload.size(), 160u);
  EXPECT_EQ(h1->timestamp - h0->timestamp, 160u);
  // The last packet carries the tone (not silence): decoded energy well above zero.
  auto h4 = rtp::parse_rtp(sip_.rtp()[4]);
  double energy = 0;
  for (auto b : h4->payload) energy += std::abs(media::ulaw_to_linear(b));
  EXPECT_GT(energy / 160, 1000);

  // SIP -> browser: 20 ms PCMU packets become Opus frames at 48 kHz that decode again.
  for (int i = 0; i < 5; ++i) {
    sip_.send(make_rtp(0, static_cast<std::uint16_t>(i), 160u * i, 77, tone_ulaw(160, 160 * i)), e->sip_port());
  }
  ASSERT_TRUE(run_until([&] { return client.rtp().size() >= 4; })) << e->dump();
  EXPECT_EQ(client.rtp()[0].payload_type, 111);
  EXPECT_EQ(client.rtp()[1].timestamp - client.rtp()[0].timestamp, 960u);
  auto dec = media::OpusDecoder::create(48000, 1);
  std::vector<std::int16_t> out(media::kOpusMaxFrameSamples);
  auto samples = (*dec)->decode(client.rtp()[0].payload, out);
  ASSERT_TRUE(samples);
  EXPECT_EQ(*samples, 960u);
  EXPECT_GE(e->stats().transcoded, 9u);
}

TEST_F(WebRtcEndpointTest, TelephoneEventPayloadTypesAreRewritten) {
  EndpointOptions o;
  o.codecs = {"PCMU"};
  auto e = make(o);
  LoopbackClient client(io_, {});
  connect(*e, client);
  std::vector<std::uint8_t> ev(4);
  rtp::write_telephone_event(ev, rtp::TelephoneEvent{5, true, 10, 800});
  ASSERT_TRUE(client.send_rtp(126, 4000, ev, true));
  ASSERT_TRUE(run_until([&] { return sip_.rtp().size() == 1; }));
  auto h = rtp::parse_rtp(sip_.rtp()[0]);
  EXPECT_EQ(h->payload_type, 101);
  auto te = rtp::parse_telephone_event(h->payload);
  ASSERT_TRUE(te);
  EXPECT_EQ(te->event, 5);
  EXPECT_EQ(te->duration, 800);

  sip_.send(make_rtp(101, 1, 0, 3, ev, true), e->sip_port());
  ASSERT_TRUE(run_until([&] { return client.rtp().size() == 1; }));
  EXPECT_EQ(client.rtp()[0].payload_type, 126);
}

TEST_F(WebRtcEndpointTest, DtmfToSip) {
  auto e = make();
  LoopbackClient client(io_, {});
  connect(*e, client);
  EXPECT_FALSE(e->send_dtmf_to_sip('x', std::chrono::milliseconds(100)));
  ASSERT_TRUE(e->send_dtmf_to_sip('7', std::chrono::milliseconds(60)));
  ASSERT_TRUE(run_until([&] {
    if (sip_.rtp().empty()) return false;
    auto h = rtp::parse_rtp(sip_.rtp().back());
    return h && rtp::parse_telephone_event(h->payload)->end && sip_.rtp().size() >= 4;
  }));
  auto first = rtp::parse_rtp(sip_.rtp()[0]);
  EXPECT_EQ(first->payload_type, 101);
  EXPECT_TRUE(first->marker);
  EXPECT_EQ(rtp::parse_telephone_event(first->payload)->event, 7);
}

TEST_F(WebRtcEndpointTest, RtcpBothWaysAndOwnReceiverReports) {
  EndpointOptions o;
  o.codecs = {"PCMU"};
  o.receiver_report_interval = std::chrono::milliseconds(100);
  auto e = make(o);
  LoopbackClient client(io_, {});
  connect(*e, client);
  ASSERT_TRUE(client.send_rtp(0, 0, tone_ulaw(160)));
  // The SIP side is quiet: the endpoint reports to the browser itself (RR + SDES).
  ASSERT_TRUE(run_until([&] { return !client.rtcp().empty(); })) << e->dump();
  ASSERT_TRUE(rtp::validate_rtcp_compound(client.rtcp()[0]));
  auto rr = rtp::parse_rtcp(client.rtcp()[0]);
  EXPECT_EQ(rr->type, 201);
  EXPECT_EQ(rr->count, 1);
  EXPECT_EQ(rtp::load32(client.rtcp()[0].data() + 8), client.ssrc());  // the block is about the browser's stream

  // Browser SRTCP -> plain RTCP on the SIP side's RTCP port.
  std::vector<std::uint8_t> browser_rr(8);
  browser_rr[0] = 0x80;
  browser_rr[1] = 201;
  rtp::store16(browser_rr.data() + 2, 1);
  rtp::store32(browser_rr.data() + 4, client.ssrc());
  ASSERT_TRUE(client.send_rtcp(browser_rr));
  ASSERT_TRUE(run_until([&] { return !sip_.rtcp().empty(); }));
  EXPECT_EQ(sip_.rtcp()[0][1], 201);

  // SIP RTCP -> SRTCP to the browser.
  const auto before = client.rtcp().size();
  std::vector<std::uint8_t> sip_rr = browser_rr;
  rtp::store32(sip_rr.data() + 4, 0x5151);
  sip_.send_rtcp(sip_rr, static_cast<std::uint16_t>(e->sip_port() + 1));
  ASSERT_TRUE(run_until([&] {
    for (std::size_t i = before; i < client.rtcp().size(); ++i) {
      if (rtp::load32(client.rtcp()[i].data() + 4) == 0x5151) return true;
    }
    return false;
  }));
}

TEST_F(WebRtcEndpointTest, WrongFingerprintFails) {
  auto e = make();
  LoopbackClient::Options co;
  co.wrong_fingerprint = true;
  LoopbackClient client(io_, co);
  auto answer = e->accept_offer(client.offer());
  ASSERT_TRUE(answer);
  ASSERT_TRUE(client.set_answer(*answer));
  client.start();
  ASSERT_TRUE(run_until([&] { return listener_.failed == 1; })) << e->dump();
  EXPECT_EQ(e->state(), WebRtcEndpoint::State::failed);
  EXPECT_NE(listener_.reason.find("DTLS"), std::string::npos) << listener_.reason;
  EXPECT_EQ(listener_.connected, 0);
}

TEST_F(WebRtcEndpointTest, StunWithBadIntegrityIsIgnored) {
  auto e = make();
  LoopbackClient::Options co;
  co.wrong_integrity = true;
  LoopbackClient client(io_, co);
  auto answer = e->accept_offer(client.offer());
  ASSERT_TRUE(answer);
  ASSERT_TRUE(client.set_answer(*answer));
  client.start();
  ASSERT_NE(e->transport(), nullptr);
  // Wait for the checks to arrive (however loaded the machine), then none of them may have been answered.
  ASSERT_TRUE(run_until([&] { return e->transport()->counters().stun_in >= 3; }, std::chrono::milliseconds(5000)));
  EXPECT_EQ(client.stun_responses(), 0u);
  EXPECT_FALSE(client.ice_answered());
  EXPECT_EQ(e->state(), WebRtcEndpoint::State::connecting);
}

TEST_F(WebRtcEndpointTest, ConsentTimeoutFails) {
  EndpointOptions o;
  o.consent_timeout = std::chrono::milliseconds(1500);  // 15 consent intervals: a loaded machine keeps it alive
  auto e = make(o);
  LoopbackClient::Options co;
  co.consent_interval = std::chrono::milliseconds(100);
  LoopbackClient client(io_, co);
  connect(*e, client);
  run_for(std::chrono::milliseconds(900));  // consent checks keep it alive
  EXPECT_EQ(e->state(), WebRtcEndpoint::State::connected);
  client.stop_consent();
  ASSERT_TRUE(run_until([&] { return listener_.failed == 1; }, std::chrono::milliseconds(6000)));
  EXPECT_NE(listener_.reason.find("consent"), std::string::npos) << listener_.reason;
}

TEST_F(WebRtcEndpointTest, NoIceInTimeFails) {
  EndpointOptions o;
  o.connect_timeout = std::chrono::milliseconds(300);
  auto e = make(o);
  LoopbackClient client(io_, {});
  ASSERT_TRUE(e->accept_offer(client.offer()));
  ASSERT_TRUE(run_until([&] { return listener_.failed == 1; }, std::chrono::milliseconds(3000)));
  EXPECT_NE(listener_.reason.find("ICE"), std::string::npos) << listener_.reason;
}

TEST_F(WebRtcEndpointTest, RenegotiationKeepsCredentialsAndIceRestartChangesThem) {
  auto e = make();
  LoopbackClient client(io_, {});
  const auto offer = client.offer();
  auto a1 = e->accept_offer(offer);
  auto a2 = e->accept_offer(offer);
  ASSERT_TRUE(a1);
  ASSERT_TRUE(a2);
  auto ufrag = [](const std::string& text) { return sdp::parse(text)->media[0].attributes.find("ice-ufrag")->value; };
  EXPECT_EQ(ufrag(*a1), ufrag(*a2));
  // A new browser ufrag/pwd with the same fingerprint: ICE restart, new local credentials.
  LoopbackClient other(io_, {});
  auto restarted = offer;
  const auto at = restarted.find("a=ice-ufrag:");
  restarted.replace(at, restarted.find("\r\n", at) - at, "a=ice-ufrag:ZZZZ");
  auto a3 = e->accept_offer(restarted);
  ASSERT_TRUE(a3) << a3.error().what();
  EXPECT_NE(ufrag(*a1), ufrag(*a3));
}

TEST_F(WebRtcEndpointTest, OfferErrorsAreReported) {
  EndpointOptions o;
  o.codecs = {"PCMA"};
  auto e = make(o);
  LoopbackClient::Options co;
  co.codecs = {"opus", "PCMU"};
  LoopbackClient client(io_, co);
  auto answer = e->accept_offer(client.offer());
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, make_error_code(errc::no_common_codec));
  EXPECT_FALSE(e->accept_offer("v=0\r\n"));
  EXPECT_EQ(e->add_remote_candidate("candidate:1 1 udp 1 127.0.0.1 9 typ host").error().code,
            make_error_code(errc::not_ready));
}

TEST_F(WebRtcEndpointTest, TrickleCandidates) {
  auto e = make();
  LoopbackClient client(io_, {});
  ASSERT_TRUE(e->accept_offer(client.offer()));
  EXPECT_TRUE(e->add_remote_candidate("candidate:2 1 udp 2122194687 192.0.2.7 50000 typ host"));
  EXPECT_TRUE(e->add_remote_candidate(""));
  EXPECT_EQ(e->add_remote_candidate("candidate:garbage").error().code, make_error_code(errc::bad_candidate));
  // What Chromium trickles besides UDP host candidates: skipped without an error (the browser would log a 400).
  EXPECT_TRUE(e->add_remote_candidate("candidate:4 1 tcp 1518214911 127.0.0.1 9 typ host tcptype active"));
  EXPECT_TRUE(e->add_remote_candidate("candidate:5 1 udp 2122194687 0f6b3c1e-4a1d-4b1e-9c6e-2f1b7a9d0c11.local 50000 "
                                      "typ host"));
}

TEST_F(WebRtcEndpointTest, PortRangeExhausted) {
  media::RtpConfig c;
  c.bind_address = "127.0.0.1";
  c.port_min = 43000;
  c.port_max = 43001;  // one pair: the endpoint needs two
  media::MediaEngine small(io_, clock_, c);
  auto e = WebRtcEndpoint::create(small, certificate(), {}, listener_);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, make_error_code(media::errc::port_range_exhausted));
  EXPECT_EQ(small.pool().in_use(), 0u);
}

TEST_F(WebRtcEndpointTest, CloseGivesPortsBack) {
  const auto before = engine_.pool().in_use();
  auto e = make();
  EXPECT_EQ(engine_.pool().in_use(), before + 2);
  e->close();
  EXPECT_EQ(engine_.pool().in_use(), before);
  EXPECT_EQ(e->state(), WebRtcEndpoint::State::closed);
  EXPECT_FALSE(e->accept_offer("v=0"));
  EXPECT_NE(e->dump().find("closed"), std::string::npos);
}

}  // namespace
}  // namespace portier::webrtc::test
