#include <gtest/gtest.h>

#include "sdp/parser.hpp"
#include "sdp/sdp_error.hpp"
#include "sdp/serializer.hpp"
#include "sdp_samples.hpp"

namespace portier::sdp {
namespace {

using test::sample;

TEST(SdpParser, Baresip) {
  const auto text = sample("baresip_offer.sdp");
  ASSERT_FALSE(text.empty());
  auto sdp = parse(text);
  ASSERT_TRUE(sdp) << sdp.error().what();
  EXPECT_EQ(sdp->origin.session_id, "1719423733");
  ASSERT_TRUE(sdp->connection);
  EXPECT_EQ(sdp->connection->address, "127.0.0.1");
  ASSERT_EQ(sdp->media.size(), 1u);
  const auto& m = sdp->media[0];
  EXPECT_EQ(m.port, 10692);
  EXPECT_EQ(m.payload_types(), (std::vector<int>{9, 0, 8, 101}));
  EXPECT_EQ(m.rtpmap(101)->encoding, "telephone-event");
  EXPECT_EQ(m.fmtp(101), "0-15");
  EXPECT_EQ(m.ptime(), 20);
  EXPECT_EQ(sdp->direction_for(m), Direction::sendrecv);
  EXPECT_EQ(m.bandwidths, (std::vector<std::string>{"AS:96"}));
  EXPECT_EQ(sdp->attributes.find("tool")->value, "baresip 1.0.0");
}

TEST(SdpParser, SippWithoutDirectionDefaultsToSendrecv) {
  auto sdp = parse(sample("sipp_uac_pcap.sdp"));
  ASSERT_TRUE(sdp) << sdp.error().what();
  EXPECT_EQ(sdp->direction_for(sdp->media[0]), Direction::sendrecv);
  EXPECT_EQ(sdp->media[0].fmtp(101), "0-11,16");
  EXPECT_FALSE(sdp->media[0].ptime());
}

TEST(SdpParser, ChromeKeepsWebRtcAttributes) {
  auto sdp = parse(sample("chrome_offer.sdp"));
  ASSERT_TRUE(sdp) << sdp.error().what();
  const auto& m = sdp->media[0];
  EXPECT_EQ(m.proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(m.attributes.find("ice-ufrag")->value, "Fq2d");
  EXPECT_EQ(m.attributes.find("ice-pwd")->value, "6Kp0xH8zDgNqXr3n9yQb1vLw");
  EXPECT_EQ(m.attributes.find("setup")->value, "actpass");
  EXPECT_EQ(m.attributes.find("mid")->value, "0");
  EXPECT_TRUE(m.rtcp_mux());
  EXPECT_EQ(m.attributes.values("candidate").size(), 1u);
  EXPECT_EQ(m.attributes.values("ssrc").size(), 2u);
  EXPECT_TRUE(m.attributes.find("fingerprint")->value.starts_with("sha-256 8B:21"));
  auto opus = m.rtpmap(111);
  ASSERT_TRUE(opus);
  EXPECT_EQ(opus->encoding, "opus");
  EXPECT_EQ(opus->clock_rate, 48000);
  EXPECT_EQ(opus->channels, 2);
  EXPECT_EQ(m.fmtp(111), "minptime=10;useinbandfec=1");
  auto rtcp = m.rtcp();
  ASSERT_TRUE(rtcp);
  EXPECT_EQ(rtcp->port, 9);
  EXPECT_EQ(rtcp->connection->address, "0.0.0.0");
  EXPECT_FALSE(sdp->connection);
  EXPECT_EQ(sdp->connection_for(m)->address, "0.0.0.0");
}

TEST(SdpParser, RoundTripIsStable) {
  for (const char* name : {"baresip_offer.sdp", "sipp_uac_pcap.sdp", "chrome_offer.sdp"}) {
    SCOPED_TRACE(name);
    const auto text = sample(name);
    auto sdp = parse(text);
    ASSERT_TRUE(sdp) << sdp.error().what();
    EXPECT_EQ(serialize(*sdp), text);
  }
}

TEST(SdpParser, AcceptsBareLineFeedsAndStaticTypesWithoutRtpmap) {
  auto sdp = parse("v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0 8\n");
  ASSERT_TRUE(sdp) << sdp.error().what();
  EXPECT_EQ(sdp->media[0].rtpmap(8)->encoding, "PCMA");
  EXPECT_FALSE(sdp->media[0].rtpmap(96));
}

struct Bad {
  const char* text;
  const char* reason;  // part of the error message
};

TEST(SdpParser, MalformedInputIsAClearError) {
  const std::string head = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n";
  const Bad cases[] = {
      {"", "empty"},
      {"v=1\r\n", "v=0"},
      {"o=- 1 1 IN IP4 1.2.3.4\r\n", "v=0"},
      {"v=0\r\ns=-\r\nt=0 0\r\n", "missing o="},
      {"v=0\r\no=- x 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n", "o= session id"},
      {"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\n", "missing t="},
      {"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nt=0 0\r\ns=-\r\n", "out of order"},
      {"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP5 1.2.3.4\r\nt=0 0\r\n", "IP4 or IP6"},
      {"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nx=1\r\n", "unknown line type"},
      {"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nwhat\r\n", "<type>=<value>"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto r = parse(c.text);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::malformed);
    EXPECT_NE(r.error().what().find(c.reason), std::string::npos) << r.error().what();
  }
  const Bad media_cases[] = {
      {"m=audio RTP/AVP 0\r\n", "m= needs"},
      {"m=audio 70000 RTP/AVP 0\r\n", "out of range"},
      {"m=audio abc RTP/AVP 0\r\n", "port is not a number"},
      {"m=audio 4000 RTP/AVP PCMU\r\n", "payload type"},
      {"m=audio 4000 RTP/AVP 200\r\n", "payload type"},
      {"m=audio 4000 RTP/AVP 0\r\na=rtpmap:0\r\n", "a=rtpmap"},
      {"m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 opus\r\n", "a=rtpmap"},
      {"m=audio 4000 RTP/AVP 0\r\na=rtcp:abc\r\n", "a=rtcp"},
      {"m=audio 4000 RTP/AVP 0\r\na=ptime:\r\n", "a=ptime"},
      {"m=audio 4000 RTP/AVP 0\r\na=sendonly:yes\r\n", "takes no value"},
      {"m=audio 4000 RTP/AVP 0\r\na=sendrecv\r\nc=IN IP4 1.2.3.4\r\n", "out of order"},
      {"m=audio 4000 RTP/AVP 0\r\ns=-\r\n", "not allowed in a media section"},
      {"m=audio 4000 RTP/AVP 0\r\n\r\na=x\r\n", "empty line"},
  };
  for (const auto& c : media_cases) {
    SCOPED_TRACE(c.text);
    auto r = parse(head + c.text);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::malformed);
    EXPECT_NE(r.error().what().find(c.reason), std::string::npos) << r.error().what();
    EXPECT_NE(r.error().what().find("line "), std::string::npos) << r.error().what();
  }
}

TEST(SdpParser, LimitsAreEnforced) {
  std::string text = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n";
  for (int i = 0; i < 40; ++i) text += "m=audio 4000 RTP/AVP 0\r\n";
  auto r = parse(text);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::too_large);
  EXPECT_EQ(parse(std::string(70000, 'a')).error().code, errc::too_large);
}

TEST(SdpParser, HoldAttributesAndDirections) {
  auto sdp = parse(
      "v=0\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=sendonly\r\n"
      "m=audio 4000 RTP/AVP 0\r\nm=audio 4002 RTP/AVP 0\r\na=inactive\r\n");
  ASSERT_TRUE(sdp) << sdp.error().what();
  EXPECT_EQ(sdp->direction_for(sdp->media[0]), Direction::sendonly);
  EXPECT_EQ(sdp->direction_for(sdp->media[1]), Direction::inactive);
  EXPECT_TRUE(sdp->connection->is_hold_address());
}

TEST(SdpParser, AttributeListEditing) {
  AttributeList list;
  list.add("ice-ufrag", "abc");
  list.add_flag("sendrecv");
  list.set_direction(Direction::recvonly);
  EXPECT_EQ(list.direction(), Direction::recvonly);
  EXPECT_EQ(list.items().size(), 2u);
  list.remove("ice-ufrag");
  EXPECT_FALSE(list.has("ice-ufrag"));
}

}  // namespace
}  // namespace portier::sdp
