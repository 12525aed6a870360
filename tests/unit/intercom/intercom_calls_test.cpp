// The Intercom over a real SipServer and MediaEngine on loopback, driven by scripted SIP peers (sip_peer.hpp):
// browser-phone ring-group members through a MemberResolver, extension-to-extension calls (ringing, answer, INFO
// passed on, busy, 404/480, BYE from the callee) and the call button of a door without a station.
#include "unit/intercom/intercom_calls_fixture.hpp"

namespace portier::intercom {
namespace {

using namespace std::chrono_literals;
using test::IntercomCallsTest;
using test::SipPeer;
using test::sdp_body;
namespace msg = sip::msg;

// A member that stands for several people ("webrtc:*" rings every open browser) is named after whoever answered.
TEST_F(IntercomCallsTest, AnsweredByNamesThePersonBehindTheTarget) {
  SipPeer alice, alice_rtp;
  const auto t = target(alice, "wrtc-1");
  resolver.online["webrtc:alice"] = {t};
  resolver.names[t.uri] = "webrtc:dave";
  caller.send(invite("7001", "7000", "door1"), sip);
  const auto ok = caller.wait_response("INVITE");
  ASSERT_EQ(msg::parse_message(ok)->status(), 200) << ok;
  caller.send(in_dialog("ACK", 1, ok), sip);
  const auto inv = alice.wait_request("INVITE");
  ASSERT_FALSE(inv.empty()) << "the browser member was not rung";
  answer(alice, inv, alice_rtp.port(), "wrtc-1");
  ASSERT_TRUE(wait_until([&] {
    auto c = calls();
    return c.size() == 1 && c[0].state == "answered";
  }));
  EXPECT_EQ(calls()[0].answered_by, "webrtc:dave");
}

TEST_F(IntercomCallsTest, RingGroupRingsBrowserMemberWhichAnswers) {
  SipPeer alice, alice_rtp;
  resolver.online["webrtc:alice"] = {target(alice, "webrtc-alice")};
  caller.send(invite("7001", "7000", "door1"), sip);
  const auto ok = caller.wait_response("INVITE");
  ASSERT_EQ(msg::parse_message(ok)->status(), 200) << ok;  // the door is answered at once and hears ringback
  caller.send(in_dialog("ACK", 1, ok), sip);

  const auto inv = alice.wait_request("INVITE");
  ASSERT_FALSE(inv.empty()) << "the browser member was not rung";
  EXPECT_NE(SipPeer::header(inv, "From").find("sip:7001@"), std::string::npos);
  answer(alice, inv, alice_rtp.port(), "webrtc-alice");
  ASSERT_TRUE(wait_until([&] {
    auto c = calls();
    return c.size() == 1 && c[0].state == "answered";
  }));
  auto c = calls()[0];
  EXPECT_EQ(c.door, "front");
  EXPECT_EQ(c.answered_by, "webrtc:alice");
  std::vector<std::pair<std::string, std::string>> legs;
  for (const auto& l : c.legs) legs.emplace_back(l.role, l.extension);
  EXPECT_EQ(legs, (std::vector<std::pair<std::string, std::string>>{{"door", "7001"}, {"member", "webrtc:alice"}}));
  const auto answered = events_of(access::EventType::call_answered);
  ASSERT_EQ(answered.size(), 1u);
  EXPECT_EQ(answered[0].actor, "webrtc:alice");
  EXPECT_EQ(on_io([this] { return resolver.asked; }), (std::vector<std::string>{"7003", "webrtc:alice"}));

  // The door hangs up: the member gets BYE, the call is gone.
  caller.send(in_dialog("BYE", 2, ok), sip);
  EXPECT_EQ(msg::parse_message(caller.wait_response("BYE"))->status(), 200);
  const auto bye = alice.wait_request("BYE");
  ASSERT_FALSE(bye.empty());
  alice.send(alice.response(bye, 200, "OK"), alice.last_from());
  EXPECT_TRUE(wait_until([&] { return calls().empty(); }));
}

TEST_F(IntercomCallsTest, MemberWithoutResolverOrTargetsIsSkipped) {
  on_io([this] { intercom->set_member_resolver(nullptr); });
  caller.send(invite("7001", "7000", "door2"), sip);
  const auto ok = caller.wait_response("INVITE");
  ASSERT_EQ(msg::parse_message(ok)->status(), 200) << ok;
  caller.send(in_dialog("ACK", 1, ok), sip);
  // Nobody to ring (7003 unregistered, alice unresolvable): the door gets BYE, no_answer.
  const auto bye = caller.wait_request("BYE");
  ASSERT_FALSE(bye.empty());
  caller.send(caller.response(bye, 200, "OK"), sip);
  const auto ended = events_of(access::EventType::call_ended);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_NE(ended[0].detail.find("reason=no_answer"), std::string::npos) << ended[0].detail;
}

TEST_F(IntercomCallsTest, ExtensionCallRingsAnswersPassesInfoAndEndsOnCalleeBye) {
  SipPeer bob, bob_rtp;
  resolver.online["webrtc-bob"] = {target(bob, "webrtc-bob")};
  caller.send(invite("7002", "webrtc-bob", "ext1"), sip);
  EXPECT_FALSE(caller.wait_response("INVITE", 180).empty()) << "the caller heard no 180";
  const auto inv = bob.wait_request("INVITE");
  ASSERT_FALSE(inv.empty());
  EXPECT_NE(SipPeer::header(inv, "From").find("sip:7002@"), std::string::npos);
  EXPECT_NE(SipPeer::header(inv, "From").find("Ann"), std::string::npos);  // the directory's display name
  ASSERT_EQ(calls().size(), 1u);
  EXPECT_EQ(calls()[0].state, "calling_station");
  answer(bob, inv, bob_rtp.port(), "webrtc-bob");
  const auto ok = caller.wait_response("INVITE");
  ASSERT_EQ(msg::parse_message(ok)->status(), 200) << ok;
  caller.send(in_dialog("ACK", 1, ok), sip);
  ASSERT_TRUE(wait_until([&] { return !calls().empty() && calls()[0].state == "answered"; }));
  auto c = calls()[0];
  EXPECT_EQ(c.door, "");
  EXPECT_EQ(c.answered_by, "webrtc:bob");
  std::vector<std::pair<std::string, std::string>> legs;
  for (const auto& l : c.legs) legs.emplace_back(l.role, l.extension);
  EXPECT_EQ(legs, (std::vector<std::pair<std::string, std::string>>{{"caller", "7002"}, {"callee", "webrtc:bob"}}));

  // A SIP INFO digit from the caller reaches the callee as INFO.
  caller.send(in_dialog("INFO", 2, ok, {}, "Signal=5\r\nDuration=160\r\n", "application/dtmf-relay"), sip);
  EXPECT_EQ(msg::parse_message(caller.wait_response("INFO"))->status(), 200);
  const auto info = bob.wait_request("INFO");
  ASSERT_FALSE(info.empty()) << "the INFO was not passed on";
  EXPECT_NE(info.find("Signal=5"), std::string::npos) << info;
  bob.send(bob.response(info, 200, "OK"), bob.last_from());

  // The callee is busy now; unknown numbers are 404, an extension without a phone 480.
  caller.send(invite("7003", "webrtc-bob", "ext2"), sip);
  EXPECT_EQ(msg::parse_message(caller.wait_response("INVITE"))->status(), 486);
  caller.send(invite("7002", "9999", "ext3"), sip);
  EXPECT_EQ(msg::parse_message(caller.wait_response("INVITE"))->status(), 404);
  caller.send(invite("7002", "7003", "ext4"), sip);
  EXPECT_EQ(msg::parse_message(caller.wait_response("INVITE"))->status(), 480);
  caller.send(invite("7002", "webrtc-nobody", "ext5"), sip);
  EXPECT_EQ(msg::parse_message(caller.wait_response("INVITE"))->status(), 480);

  // The callee hangs up: the caller gets BYE.
  const auto bye = peer_request(bob, inv, "BYE", 2);
  bob.send(bye, sip);
  EXPECT_EQ(msg::parse_message(bob.wait_response("BYE"))->status(), 200);
  const auto caller_bye = caller.wait_request("BYE");
  ASSERT_FALSE(caller_bye.empty());
  caller.send(caller.response(caller_bye, 200, "OK"), sip);
  EXPECT_TRUE(wait_until([&] { return calls().empty(); }));
  const auto ended = events_of(access::EventType::call_ended);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].door, "");
  EXPECT_NE(ended[0].detail.find("reason=callee_hangup"), std::string::npos) << ended[0].detail;
}

TEST_F(IntercomCallsTest, CallerCancelEndsTheRinging) {
  SipPeer bob;
  resolver.online["webrtc-bob"] = {target(bob, "webrtc-bob")};
  const auto inv_text = invite("7002", "webrtc-bob", "ext6");
  caller.send(inv_text, sip);
  const auto inv = bob.wait_request("INVITE");
  ASSERT_FALSE(inv.empty());
  bob.send(bob.response(inv, 180, "Ringing", {}, "webrtc-bob"), sip);
  EXPECT_FALSE(caller.wait_response("INVITE", 180).empty());
  const auto cancel = "CANCEL sip:webrtc-bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" +
                      std::to_string(caller.port()) + ";branch=z9hG4bKext6-1;rport\r\nMax-Forwards: 70\r\n" +
                      "From: \"Caller\" <sip:7002@portier.test>;tag=ext6\r\nTo: <sip:webrtc-bob@portier.test>\r\n" +
                      "Call-ID: ext6\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n";
  caller.send(cancel, sip);
  EXPECT_EQ(msg::parse_message(caller.wait_response("INVITE"))->status(), 487);
  const auto bob_cancel = bob.wait_request("CANCEL");
  ASSERT_FALSE(bob_cancel.empty()) << "the callee was not CANCELled";
  bob.send(bob.response(bob_cancel, 200, "OK"), bob.last_from());
  bob.send(bob.response(inv, 487, "Request Terminated"), bob.last_from());
  EXPECT_TRUE(wait_until([&] { return calls().empty(); }));
}

TEST_F(IntercomCallsTest, ButtonOfDoorWithoutStationRingsGroupAndSendsSilence) {
  SipPeer carol, carol_rtp;
  resolver.online["webrtc:carol"] = {target(carol, "webrtc-carol")};
  on_io([this] { intercom->on_door_ring("side"); });
  const auto inv = carol.wait_request("INVITE");
  ASSERT_FALSE(inv.empty()) << "the group was not rung";
  EXPECT_NE(SipPeer::header(inv, "From").find("sip:side@"), std::string::npos);
  answer(carol, inv, carol_rtp.port(), "webrtc-carol");
  ASSERT_TRUE(wait_until([&] { return !calls().empty() && calls()[0].state == "answered"; }));
  EXPECT_EQ(calls()[0].door, "side");
  EXPECT_EQ(calls()[0].answered_by, "webrtc:carol");
  // The resident hears silence (PCMU 0xff, 20 ms packets) rather than a dead line.
  const auto packets = carol_rtp.receive_for(600ms);
  EXPECT_GE(packets.size(), 15u);
  ASSERT_FALSE(packets.empty());
  EXPECT_EQ(packets.back().size(), 12u + 160u);
  EXPECT_EQ(static_cast<unsigned char>(packets.back()[1]) & 0x7f, 0);  // PCMU
  EXPECT_EQ(static_cast<unsigned char>(packets.back()[100]), 0xff);
  // The door code (default "#") by SIP INFO from the resident: checked against the door's code (the door service
  // of this test has no door "side", so nothing opens, but the code matched).
  carol.send(peer_request(carol, inv, "INFO", 2, "Signal=#\r\nDuration=160\r\n", "application/dtmf-relay"), sip);
  EXPECT_EQ(msg::parse_message(carol.wait_response("INFO"))->status(), 200);
  ASSERT_TRUE(wait_until([&] { return !events_of(access::EventType::call_dtmf).empty(); }));
  const auto dtmf = events_of(access::EventType::call_dtmf)[0];
  EXPECT_EQ(dtmf.door, "side");
  EXPECT_EQ(dtmf.actor, "webrtc:carol");
  EXPECT_NE(dtmf.detail.find("code match"), std::string::npos) << dtmf.detail;
  const auto id = calls()[0].id;
  EXPECT_TRUE(on_io([&] { return intercom->hangup(id); }));
  const auto bye = carol.wait_request("BYE");
  ASSERT_FALSE(bye.empty());
  carol.send(carol.response(bye, 200, "OK"), carol.last_from());
  EXPECT_TRUE(wait_until([&] { return calls().empty(); }));
}

}  // namespace
}  // namespace portier::intercom

namespace portier::intercom {
namespace {

using test::IntercomCallsTest;
using test::SipPeer;
using test::sdp_body;

// `sdp_body` with another o= version and direction.
std::string sdp_with(std::uint16_t port, int version, const std::string& direction) {
  auto s = sdp_body(port);
  s.replace(s.find("o=peer 1 1"), 10, "o=peer 1 " + std::to_string(version));
  s.replace(s.find("a=sendrecv"), 10, "a=" + direction);
  return s;
}

std::string with_contact(std::string request, const SipPeer& peer, const std::string& user) {
  return request.insert(request.find("Content-Type:"), "Contact: <" + peer.contact(user) + ">\r\n");
}

TEST_F(IntercomCallsTest, ReinviteIsPassedToTheOtherLegWithGlare491AndRefusalPassedBack) {
  SipPeer bob, bob_rtp;
  resolver.online["webrtc-bob"] = {target(bob, "webrtc-bob")};
  caller.send(invite("7002", "webrtc-bob", "hold1"), sip);
  const auto inv = bob.wait_request("INVITE");
  ASSERT_FALSE(inv.empty());
  answer(bob, inv, bob_rtp.port(), "webrtc-bob");
  const auto ok = caller.wait_response("INVITE");
  ASSERT_EQ(msg::parse_message(ok)->status(), 200) << ok;
  caller.send(in_dialog("ACK", 1, ok), sip);
  ASSERT_TRUE(wait_until([&] { return !calls().empty() && calls()[0].state == "answered"; }));

  // The callee holds (a=sendonly, new o= version): the caller gets a re-INVITE from Portier's relay with sendonly.
  bob.send(with_contact(peer_request(bob, inv, "INVITE", 2, sdp_with(bob_rtp.port(), 2, "sendonly"),
                                     "application/sdp"), bob, "webrtc-bob"), sip);
  const auto reinv = caller.wait_request("INVITE");
  ASSERT_FALSE(reinv.empty()) << "the hold was not passed on";
  EXPECT_NE(reinv.find("a=sendonly"), std::string::npos) << reinv;
  EXPECT_EQ(reinv.find("m=audio " + std::to_string(bob_rtp.port())), std::string::npos) << "not our relay: " << reinv;
  // Glare: the caller's own re-INVITE while ours is pending gets 491.
  caller.send(with_contact(in_dialog("INVITE", 2, ok, {}, sdp_with(caller_rtp.port(), 2, "sendrecv"),
                                     "application/sdp"), caller, "7002"), sip);
  EXPECT_EQ(msg::parse_message(caller.wait_response("INVITE"))->status(), 491);
  // The caller answers recvonly: the callee gets recvonly back, from Portier.
  caller.send(caller.response(reinv, 200, "OK", sdp_with(caller_rtp.port(), 2, "recvonly"), "7002"), sip);
  EXPECT_FALSE(caller.wait_request("ACK").empty());
  const auto held = bob.wait_response("INVITE");
  ASSERT_EQ(msg::parse_message(held)->status(), 200) << held;
  EXPECT_NE(held.find("a=recvonly"), std::string::npos) << held;
  bob.send(peer_request(bob, inv, "ACK", 2), sip);

  // A refresh (o= version unchanged) is answered by Portier alone.
  bob.send(with_contact(peer_request(bob, inv, "INVITE", 3, sdp_with(bob_rtp.port(), 2, "sendonly"),
                                     "application/sdp"), bob, "webrtc-bob"), sip);
  EXPECT_EQ(msg::parse_message(bob.wait_response("INVITE"))->status(), 200);
  bob.send(peer_request(bob, inv, "ACK", 3), sip);
  EXPECT_TRUE(caller.wait_request("INVITE", std::chrono::milliseconds(300)).empty()) << "a refresh was passed on";

  // Resume: the caller refuses it with 488, and so does Portier to the callee.
  bob.send(with_contact(peer_request(bob, inv, "INVITE", 4, sdp_with(bob_rtp.port(), 3, "sendrecv"),
                                     "application/sdp"), bob, "webrtc-bob"), sip);
  const auto resume = caller.wait_request("INVITE");
  ASSERT_FALSE(resume.empty());
  EXPECT_NE(resume.find("a=sendrecv"), std::string::npos) << resume;
  caller.send(caller.response(resume, 488, "Not Acceptable Here"), sip);
  EXPECT_EQ(msg::parse_message(bob.wait_response("INVITE"))->status(), 488);
  ASSERT_EQ(calls().size(), 1u);
  EXPECT_EQ(calls()[0].state, "answered");
}

}  // namespace
}  // namespace portier::intercom
