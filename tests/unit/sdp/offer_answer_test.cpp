#include <gtest/gtest.h>

#include "sdp/offer_answer.hpp"
#include "sdp/parser.hpp"
#include "sdp/sdp_error.hpp"
#include "sdp/serializer.hpp"
#include "sdp_samples.hpp"

namespace portier::sdp {
namespace {

using test::sample;

LocalMedia relay(std::uint16_t port = 20000) {
  LocalMedia l;
  l.address = "192.0.2.10";
  l.port = port;
  return l;
}

SessionDescription parsed(const std::string& text) {
  auto r = parse(text);
  EXPECT_TRUE(r) << r.error().what();
  return r ? *r : SessionDescription{};
}

TEST(SdpOfferAnswer, OfferListsCodecsByPriority) {
  auto local = relay();
  local.codecs = {{"PCMU", 0, 8000, 1, true, 5, ""},
                  {"PCMA", 8, 8000, 1, true, 1, ""},
                  {"G722", 9, 8000, 1, false, 0, ""},
                  {"telephone-event", 101, 8000, 1, true, 9, "0-16"}};
  const auto text = serialize(create_offer(local));
  auto back = parse(text);
  ASSERT_TRUE(back) << back.error().what() << "\n" << text;
  const auto& m = back->media[0];
  EXPECT_EQ(m.payload_types(), (std::vector<int>{8, 0, 101}));
  EXPECT_EQ(m.fmtp(101), "0-16");
  EXPECT_EQ(m.ptime(), 20);
  EXPECT_EQ(m.rtcp()->port, 20001);
  EXPECT_EQ(back->connection->address, "192.0.2.10");
  EXPECT_EQ(back->direction_for(m), Direction::sendrecv);
}

TEST(SdpOfferAnswer, AnswerToBaresipPicksOurPriorityAndTheirPayloadTypes) {
  auto answer = create_answer(parsed(sample("baresip_offer.sdp")), relay());
  ASSERT_TRUE(answer) << answer.error().what();
  const auto& n = answer->media;
  EXPECT_EQ(n.codec.name, "PCMU");  // baresip prefers G722, which we do not have; PCMU is our first
  EXPECT_EQ(n.codecs.size(), 1u);
  ASSERT_TRUE(n.telephone_event);
  EXPECT_EQ(n.telephone_event->payload_type, 101);
  EXPECT_EQ(n.remote_address, "127.0.0.1");
  EXPECT_EQ(n.remote_rtp_port, 10692);
  EXPECT_EQ(n.remote_rtcp_port, 10693);
  EXPECT_EQ(n.direction, Direction::sendrecv);
  EXPECT_FALSE(n.remote_hold);
  const auto& m = answer->sdp.media[0];
  EXPECT_EQ(m.port, 20000);
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "101"}));
  EXPECT_EQ(m.fmtp(101), "0-15");  // echoes the offer's event range
  // The answer parses back and, applied to the offer, agrees on the same stream.
  auto back = parse(serialize(answer->sdp));
  ASSERT_TRUE(back) << back.error().what();
  auto offer_side = accept_answer(parsed(sample("baresip_offer.sdp")), *back, relay(10692));
  ASSERT_TRUE(offer_side) << offer_side.error().what();
  EXPECT_EQ(offer_side->codec.name, "PCMU");
  EXPECT_EQ(offer_side->remote_rtp_port, 20000);
  EXPECT_EQ(offer_side->remote_address, "192.0.2.10");
}

TEST(SdpOfferAnswer, AnswerToSippUsesPcma) {
  auto answer = create_answer(parsed(sample("sipp_uac_pcap.sdp")), relay());
  ASSERT_TRUE(answer) << answer.error().what();
  EXPECT_EQ(answer->media.codec.name, "PCMA");
  EXPECT_EQ(answer->media.codec.payload_type, 8);
  EXPECT_EQ(answer->media.ptime, 20);
}

TEST(SdpOfferAnswer, DynamicTelephoneEventNumberIsTheOfferers) {
  auto offer = parsed(
      "v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
      "m=audio 5000 RTP/AVP 8 96\r\na=rtpmap:96 TELEPHONE-EVENT/8000\r\na=ptime:30\r\n");
  auto answer = create_answer(offer, relay());
  ASSERT_TRUE(answer) << answer.error().what();
  ASSERT_TRUE(answer->media.telephone_event);
  EXPECT_EQ(answer->media.telephone_event->payload_type, 96);
  EXPECT_EQ(answer->media.ptime, 30);
  EXPECT_EQ(answer->sdp.media[0].rtpmap(96)->encoding, "telephone-event");
}

TEST(SdpOfferAnswer, NoCommonCodecIsDistinct) {
  auto offer = parsed(
      "v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
      "m=audio 5000 RTP/AVP 9 96\r\na=rtpmap:96 opus/48000/2\r\n");
  auto answer = create_answer(offer, relay());
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, errc::no_common_codec);
  // Only telephone-event in common is still no codec.
  auto te_only = parsed(
      "v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
      "m=audio 5000 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n");
  EXPECT_EQ(create_answer(te_only, relay()).error().code, errc::no_common_codec);
  // A disabled codec does not count.
  auto local = relay();
  for (auto& c : local.codecs) c.enabled = c.name != "PCMA";
  EXPECT_EQ(create_answer(parsed(sample("sipp_uac_pcap.sdp")), local).error().code, errc::no_common_codec);
}

TEST(SdpOfferAnswer, ChromeSrtpOfferIsUnsupportedForNow) {
  auto answer = create_answer(parsed(sample("chrome_offer.sdp")), relay());
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, errc::unsupported);
}

TEST(SdpOfferAnswer, VideoIsRejectedWithPortZeroAudioAnswered) {
  auto offer = parsed(
      "v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
      "m=video 5002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\nm=audio 5000 RTP/AVP 0\r\n");
  auto answer = create_answer(offer, relay());
  ASSERT_TRUE(answer) << answer.error().what();
  ASSERT_EQ(answer->sdp.media.size(), 2u);
  EXPECT_EQ(answer->sdp.media[0].port, 0);
  EXPECT_EQ(answer->sdp.media[0].media, "video");
  EXPECT_EQ(answer->sdp.media[1].port, 20000);
  EXPECT_EQ(answer->media.media_index, 1u);
}

struct HoldCase {
  const char* offer_direction;
  Direction local;
  Direction expected;
  bool remote_hold;
};

TEST(SdpOfferAnswer, HoldDirections) {
  const HoldCase cases[] = {
      {"sendrecv", Direction::sendrecv, Direction::sendrecv, false},
      {"sendonly", Direction::sendrecv, Direction::recvonly, true},  // peer holds us: we only receive music
      {"recvonly", Direction::sendrecv, Direction::sendonly, false},
      {"inactive", Direction::sendrecv, Direction::inactive, true},
      {"sendrecv", Direction::sendonly, Direction::sendonly, false},  // we hold the peer
      {"sendonly", Direction::sendonly, Direction::inactive, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.offer_direction);
    auto offer = parsed(std::string("v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
                                    "m=audio 5000 RTP/AVP 0\r\na=") +
                        c.offer_direction + "\r\n");
    auto local = relay();
    local.direction = c.local;
    auto answer = create_answer(offer, local);
    ASSERT_TRUE(answer) << answer.error().what();
    EXPECT_EQ(answer->media.direction, c.expected);
    EXPECT_EQ(answer->media.remote_hold, c.remote_hold);
    EXPECT_EQ(answer->sdp.direction_for(answer->sdp.media[0]), c.expected);
  }
}

TEST(SdpOfferAnswer, OldStyleHoldAddress) {
  auto offer =
      parsed("v=0\r\no=- 1 2 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n");
  auto answer = create_answer(offer, relay());
  ASSERT_TRUE(answer) << answer.error().what();
  EXPECT_TRUE(answer->media.remote_hold);
  EXPECT_FALSE(answer->media.we_send());
}

TEST(SdpOfferAnswer, RtcpAttributeAndMux) {
  auto offer = parsed(
      "v=0\r\no=- 1 2 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n"
      "a=rtcp:5009 IN IP4 10.0.0.3\r\n");
  auto a = create_answer(offer, relay());
  ASSERT_TRUE(a) << a.error().what();
  EXPECT_EQ(a->media.remote_rtcp_port, 5009);
  EXPECT_EQ(a->media.remote_rtcp_address, "10.0.0.3");
  auto mux = parsed(
      "v=0\r\no=- 1 2 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n"
      "a=rtcp-mux\r\n");
  auto b = create_answer(mux, relay());
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->media.rtcp_mux);
  EXPECT_EQ(b->media.remote_rtcp_port, 5000);
}

TEST(SdpOfferAnswer, StreamWithoutConnectionIsMalformed) {
  auto offer = parsed("v=0\r\no=- 1 2 IN IP4 10.0.0.2\r\ns=-\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n");
  auto a = create_answer(offer, relay());
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, errc::malformed);
}

TEST(SdpOfferAnswer, AcceptAnswerChecksStreamsAndCodecs) {
  const auto offer = create_offer(relay());
  auto bad_count = parsed("v=0\r\no=- 1 2 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n");
  EXPECT_EQ(accept_answer(offer, bad_count, relay()).error().code, errc::malformed);
  auto rejected =
      parsed("v=0\r\no=- 1 2 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n");
  EXPECT_EQ(accept_answer(offer, rejected, relay()).error().code, errc::unsupported);
  auto pcma = parsed(
      "v=0\r\no=- 1 2 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 7000 RTP/AVP 8\r\n"
      "a=recvonly\r\n");
  auto n = accept_answer(offer, pcma, relay());
  ASSERT_TRUE(n) << n.error().what();
  EXPECT_EQ(n->codec.name, "PCMA");
  EXPECT_EQ(n->direction, Direction::sendonly);
  EXPECT_FALSE(n->telephone_event);
}

}  // namespace
}  // namespace portier::sdp
