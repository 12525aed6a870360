// Browser offers (Chromium, Firefox) -> our ICE-lite / DTLS-passive answer; malformed offers -> webrtc errors.
#include "webrtc/webrtc_sdp.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "sdp/parser.hpp"
#include "webrtc/webrtc_error.hpp"

namespace portier::webrtc {
namespace {

std::string load(const std::string& name) {
  std::ifstream in(std::string(PORTIER_TEST_DATA) + "/webrtc/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

LocalDescription local() {
  LocalDescription l;
  l.ice_ufrag = "abcdEFGH";
  l.ice_pwd = "0123456789abcdefghijklmn";
  l.fingerprint = "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";
  l.address = "192.0.2.10";
  l.port = 40000;
  l.candidates = {"candidate:1 1 udp 2130706431 192.0.2.10 40000 typ host"};
  l.ssrc = 12345678;
  return l;
}

// Replaces the first occurrence of `from` in `text` (the test offers are edited to make them bad).
std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(WebRtcSdp, ChromeOfferIsParsed) {
  auto offer = parse_offer(load("chrome_audio_offer.sdp"));
  ASSERT_TRUE(offer) << offer.error().what();
  EXPECT_EQ(offer->ice_ufrag, "F7gI");
  EXPECT_EQ(offer->ice_pwd, "x9cml/YzichV2+XlhiMu8g2y");
  EXPECT_EQ(offer->fingerprint_algorithm, "sha-256");
  EXPECT_EQ(offer->fingerprint.substr(0, 8), "D1:2C:BE");
  EXPECT_EQ(offer->setup, "actpass");
  EXPECT_EQ(offer->mid, "0");
  ASSERT_EQ(offer->bundle.size(), 1u);
  ASSERT_EQ(offer->candidates.size(), 2u);
  EXPECT_EQ(offer->candidates[0].rfind("candidate:1467250027 1 udp", 0), 0u);
  EXPECT_FALSE(offer->end_of_candidates);
  EXPECT_EQ(offer->direction, sdp::Direction::sendrecv);
}

TEST(WebRtcSdp, CodecChoiceFollowsOurPreferenceWithMatchingTelephoneEvent) {
  auto offer = parse_offer(load("chrome_audio_offer.sdp"));
  ASSERT_TRUE(offer);
  auto pcmu = choose_codec(*offer, {"PCMU", "PCMA"});
  ASSERT_TRUE(pcmu);
  EXPECT_EQ(pcmu->codec.name, "PCMU");
  EXPECT_EQ(pcmu->codec.payload_type, 0);
  ASSERT_TRUE(pcmu->telephone_event);
  EXPECT_EQ(pcmu->telephone_event->payload_type, 126);  // telephone-event/8000, not /48000
  EXPECT_FALSE(pcmu->comfort_noise);

  auto opus = choose_codec(*offer, {"opus", "PCMU"});
  ASSERT_TRUE(opus);
  EXPECT_EQ(opus->codec.name, "opus");
  EXPECT_EQ(opus->codec.payload_type, 111);
  EXPECT_EQ(opus->codec.clock_rate, 48000);
  ASSERT_TRUE(opus->telephone_event);
  EXPECT_EQ(opus->telephone_event->payload_type, 110);

  auto pcma_cn = choose_codec(*offer, {"PCMA"}, true);
  ASSERT_TRUE(pcma_cn);
  EXPECT_EQ(pcma_cn->codec.payload_type, 8);
  ASSERT_TRUE(pcma_cn->comfort_noise);
  EXPECT_EQ(pcma_cn->comfort_noise->payload_type, 13);
  // No CN with opus (CN/8000 does not match the 48 kHz clock).
  EXPECT_FALSE(choose_codec(*offer, {"opus"}, true)->comfort_noise);
}

TEST(WebRtcSdp, NoCommonCodec) {
  auto offer = parse_offer(load("chrome_audio_offer.sdp"));
  ASSERT_TRUE(offer);
  auto c = choose_codec(*offer, {"G729"});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, make_error_code(errc::no_common_codec));
  EXPECT_NE(c.error().what().find("G729"), std::string::npos);
}

TEST(WebRtcSdp, AnswerToChromeOffer) {
  auto offer = parse_offer(load("chrome_audio_offer.sdp"));
  ASSERT_TRUE(offer);
  auto choice = choose_codec(*offer, {"PCMU", "PCMA"});
  ASSERT_TRUE(choice);
  const auto text = build_answer(*offer, *choice, local());
  auto answer = sdp::parse(text);
  ASSERT_TRUE(answer) << answer.error().what() << "\n" << text;
  EXPECT_TRUE(answer->attributes.has("ice-lite"));
  ASSERT_NE(answer->attributes.find("group"), nullptr);
  EXPECT_EQ(answer->attributes.find("group")->value, "BUNDLE 0");
  ASSERT_EQ(answer->media.size(), 1u);
  const auto& m = answer->media[0];
  EXPECT_EQ(m.port, 40000);
  EXPECT_EQ(m.proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "126"}));
  EXPECT_EQ(m.attributes.find("ice-ufrag")->value, "abcdEFGH");
  EXPECT_EQ(m.attributes.find("ice-pwd")->value, "0123456789abcdefghijklmn");
  EXPECT_EQ(m.attributes.find("fingerprint")->value.substr(0, 11), "sha-256 AA:");
  EXPECT_EQ(m.attributes.find("setup")->value, "passive");
  EXPECT_EQ(m.attributes.find("mid")->value, "0");
  EXPECT_TRUE(m.rtcp_mux());
  EXPECT_FALSE(m.attributes.has("rtcp-rsize"));  // we want compound RTCP to forward to SIP phones
  EXPECT_FALSE(m.attributes.has("extmap"));
  EXPECT_EQ(m.attributes.direction(), sdp::Direction::sendrecv);
  ASSERT_EQ(m.attributes.values("candidate").size(), 1u);
  EXPECT_NE(m.attributes.values("candidate")[0].find("typ host"), std::string::npos);
  EXPECT_TRUE(m.attributes.has("end-of-candidates"));
  EXPECT_EQ(m.ptime(), 20);
  EXPECT_EQ(m.attributes.values("ssrc").size(), 2u);
  EXPECT_NE(text.find("c=IN IP4 192.0.2.10"), std::string::npos);
  // Our answer passes every check the browser makes of a description; read back as an offer, only its
  // setup:passive is refused (the checks run in order, so everything before it passed).
  auto back = parse_offer(text);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, make_error_code(errc::unsupported_setup));
}

// features.webrtc.audio.voice_activity_detection -> Opus DTX asked for in the answer; not without it or for G.711.
TEST(WebRtcSdp, OpusAnswerAsksForDtxWithVoiceActivityDetection) {
  auto offer = parse_offer(load("chrome_audio_offer.sdp"));
  ASSERT_TRUE(offer);
  auto opus = choose_codec(*offer, {"opus"});
  ASSERT_TRUE(opus);
  EXPECT_EQ(build_answer(*offer, *opus, local()).find("usedtx"), std::string::npos);
  opus->dtx = true;
  EXPECT_NE(build_answer(*offer, *opus, local()).find("a=fmtp:111 minptime=10;useinbandfec=0;usedtx=1"),
            std::string::npos);
  auto pcmu = choose_codec(*offer, {"PCMU"});
  ASSERT_TRUE(pcmu);
  pcmu->dtx = true;
  EXPECT_EQ(build_answer(*offer, *pcmu, local()).find("usedtx"), std::string::npos);
}

TEST(WebRtcSdp, BundleOfferKeepsAudioOnlyAndRejectsTheRest) {
  auto offer = parse_offer(load("chrome_bundle_offer.sdp"));
  ASSERT_TRUE(offer) << offer.error().what();
  EXPECT_EQ(offer->bundle, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(offer->direction, sdp::Direction::recvonly);
  auto choice = choose_codec(*offer, {"opus"});
  ASSERT_TRUE(choice);
  const auto text = build_answer(*offer, *choice, local());
  auto answer = sdp::parse(text);
  ASSERT_TRUE(answer) << text;
  ASSERT_EQ(answer->media.size(), 3u);
  EXPECT_EQ(answer->attributes.find("group")->value, "BUNDLE 0");
  EXPECT_EQ(answer->media[0].attributes.direction(), sdp::Direction::sendonly);
  EXPECT_EQ(answer->media[0].formats, (std::vector<std::string>{"111", "110"}));
  EXPECT_NE(text.find("a=rtpmap:111 opus/48000/2"), std::string::npos);
  EXPECT_EQ(answer->media[1].media, "video");
  EXPECT_EQ(answer->media[1].port, 0);
  EXPECT_EQ(answer->media[1].attributes.find("mid")->value, "1");
  EXPECT_EQ(answer->media[2].media, "application");
  EXPECT_EQ(answer->media[2].port, 0);
  EXPECT_EQ(answer->media[2].proto, "UDP/DTLS/SCTP");
}

TEST(WebRtcSdp, FirefoxOfferWithSessionLevelFingerprint) {
  auto offer = parse_offer(load("firefox_offer.sdp"));
  ASSERT_TRUE(offer) << offer.error().what();
  EXPECT_EQ(offer->fingerprint.substr(0, 5), "91:3F");
  EXPECT_TRUE(offer->end_of_candidates);
  EXPECT_EQ(offer->candidates.size(), 2u);
  auto opus = choose_codec(*offer, {"opus", "PCMU"});
  ASSERT_TRUE(opus);
  EXPECT_EQ(opus->codec.payload_type, 109);
  EXPECT_FALSE(opus->telephone_event);  // Firefox offers telephone-event/8000 only
  auto pcmu = choose_codec(*offer, {"PCMU"});
  ASSERT_TRUE(pcmu);
  ASSERT_TRUE(pcmu->telephone_event);
  EXPECT_EQ(pcmu->telephone_event->payload_type, 101);
  const auto text = build_answer(*offer, *pcmu, local());
  EXPECT_NE(text.find("a=fmtp:101 0-15"), std::string::npos);
}

struct BadOffer {
  const char* name;
  std::string from;
  std::string to;
  errc expected;
};

void PrintTo(const BadOffer& p, std::ostream* os) { *os << p.name; }

class WebRtcSdpBad : public ::testing::TestWithParam<BadOffer> {};

TEST_P(WebRtcSdpBad, IsRefusedWithAReason) {
  const auto& p = GetParam();
  const auto text = replace(load("chrome_audio_offer.sdp"), p.from, p.to);
  auto offer = parse_offer(text);
  ASSERT_FALSE(offer) << p.name;
  EXPECT_EQ(offer.error().code, make_error_code(p.expected)) << offer.error().what();
  EXPECT_FALSE(offer.error().what().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Offers, WebRtcSdpBad,
    ::testing::Values(
        BadOffer{"not_sdp", "v=0", "hello", errc::malformed_sdp},
        BadOffer{"bad_m_line", "m=audio 9 UDP/TLS/RTP/SAVPF", "m=audio x UDP/TLS/RTP/SAVPF", errc::malformed_sdp},
        BadOffer{"video_only", "m=audio 9", "m=video 9", errc::no_audio},
        BadOffer{"audio_rejected", "m=audio 9", "m=audio 0", errc::no_audio},
        BadOffer{"no_ufrag", "a=ice-ufrag:F7gI", "a=x-ufrag:F7gI", errc::no_ice_credentials},
        BadOffer{"no_pwd", "a=ice-pwd:", "a=x-pwd:", errc::no_ice_credentials},
        BadOffer{"short_pwd", "a=ice-pwd:x9cml/YzichV2+XlhiMu8g2y", "a=ice-pwd:short", errc::no_ice_credentials},
        BadOffer{"no_fingerprint", "a=fingerprint:", "a=x-fingerprint:", errc::no_fingerprint},
        BadOffer{"unknown_hash", "a=fingerprint:sha-256", "a=fingerprint:md7", errc::no_fingerprint},
        BadOffer{"truncated_fingerprint", ":86:00:39", ":86:00", errc::no_fingerprint},
        BadOffer{"plain_rtp", "UDP/TLS/RTP/SAVPF", "RTP/AVP", errc::unsupported_transport},
        BadOffer{"sdes_srtp", "UDP/TLS/RTP/SAVPF", "RTP/SAVPF", errc::unsupported_transport},
        BadOffer{"no_rtcp_mux", "a=rtcp-mux\n", "", errc::no_rtcp_mux},
        BadOffer{"setup_passive", "a=setup:actpass", "a=setup:passive", errc::unsupported_setup},
        BadOffer{"setup_holdconn", "a=setup:actpass", "a=setup:holdconn", errc::unsupported_setup}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(WebRtcSdp, SetupActiveIsAccepted) {
  auto offer = parse_offer(replace(load("chrome_audio_offer.sdp"), "a=setup:actpass", "a=setup:active"));
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->setup, "active");
}

TEST(WebRtcSdp, ErrorCategoryNamesEveryCode) {
  for (int i = 1; i <= static_cast<int>(errc::bad_digit); ++i) {
    EXPECT_NE(error_category().message(i), "unknown webrtc error") << i;
  }
  EXPECT_STREQ(error_category().name(), "webrtc");
}

}  // namespace
}  // namespace portier::webrtc
