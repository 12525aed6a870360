// DoorCall's timers on the injectable clock (STYLE habit 7): the group ring timeout, the sequential member timeout
// and the door's call limit, driven by access::FakeTimers. Nothing here sleeps for a timeout: the FakeClock jumps,
// the timer fires on the io thread, and the real SIP peers see the CANCEL/BYE/INVITE that follows at once.
#include "unit/intercom/intercom_calls_fixture.hpp"

namespace portier::intercom {
namespace {

using namespace std::chrono_literals;
using test::IntercomCallsTest;
using test::SipPeer;
namespace msg = sip::msg;

constexpr auto kQuiet = 300ms;  // how long a peer listens to make sure nothing came

class DoorCallTimersTest : public IntercomCallsTest {
 protected:
  // The door station 7001 dials its group 7000 (answered at once, ringback); the ACK sent. Returns our 200.
  std::string door_calls(const std::string& call_id) {
    caller.send(invite("7001", "7000", call_id), sip);
    const auto ok = caller.wait_response("INVITE");
    EXPECT_EQ(msg::parse_message(ok)->status(), 200) << ok;
    caller.send(in_dialog("ACK", 1, ok), sip);
    return ok;
  }
  // `peer` got CANCEL for `inv`: 200 for the CANCEL, 487 for the INVITE.
  static void take_cancel(SipPeer& peer, const std::string& inv) {
    const auto cancel = peer.wait_request("CANCEL");
    ASSERT_FALSE(cancel.empty()) << "no CANCEL";
    peer.send(peer.response(cancel, 200, "OK"), peer.last_from());
    peer.send(peer.response(inv, 487, "Request Terminated"), peer.last_from());
  }
  static void take_bye(SipPeer& peer, const char* who) {
    const auto bye = peer.wait_request("BYE");
    ASSERT_FALSE(bye.empty()) << who << " got no BYE";
    peer.send(peer.response(bye, 200, "OK"), peer.last_from());
  }
  std::string ended_detail() {
    const auto ended = events_of(access::EventType::call_ended);
    return ended.size() == 1 ? ended[0].detail : "call_ended x" + std::to_string(ended.size());
  }
};

TEST_F(DoorCallTimersTest, GroupRingTimeoutEndsTheUnansweredCall) {
  SipPeer alice;
  resolver.online["webrtc:alice"] = {target(alice, "webrtc-alice")};
  door_calls("rt1");
  const auto inv = alice.wait_request("INVITE");
  ASSERT_FALSE(inv.empty()) << "the member was not rung";
  alice.send(alice.response(inv, 180, "Ringing", {}, "webrtc-alice"), sip);

  advance(29s);  // one second short of the group's ring_timeout (30 s)
  EXPECT_TRUE(alice.wait_request("CANCEL", kQuiet).empty()) << "rang for less than ring_timeout";
  ASSERT_EQ(calls().size(), 1u);
  EXPECT_EQ(calls()[0].state, "ringing");

  advance(1s);
  take_cancel(alice, inv);
  take_bye(caller, "the door");  // no visitor message for this door: the call ends
  EXPECT_TRUE(wait_until([&] { return calls().empty(); }));
  const auto detail = ended_detail();
  EXPECT_NE(detail.find("reason=no_answer"), std::string::npos) << detail;
  EXPECT_NE(detail.find("duration=30 "), std::string::npos) << detail;  // on the calls' FakeClock
}

TEST_F(DoorCallTimersTest, SequentialGroupRingsTheNextMemberAfterMemberTimeout) {
  SipPeer alice, bob, bob_rtp;
  resolver.online["webrtc:alice"] = {target(alice, "webrtc-alice")};
  resolver.online["webrtc:bob"] = {target(bob, "webrtc-bob")};
  on_io([this] { intercom->on_door_ring("back"); });  // group 7200: alice for 10 s, then bob
  const auto inv = alice.wait_request("INVITE");
  ASSERT_FALSE(inv.empty()) << "the first member was not rung";
  alice.send(alice.response(inv, 180, "Ringing", {}, "webrtc-alice"), sip);
  EXPECT_TRUE(bob.wait_request("INVITE", kQuiet).empty()) << "the second member rang before its turn";

  advance(9s);
  EXPECT_TRUE(bob.wait_request("INVITE", kQuiet).empty()) << "member_timeout shorter than 10 s";
  advance(1s);
  take_cancel(alice, inv);
  const auto bob_inv = bob.wait_request("INVITE");
  ASSERT_FALSE(bob_inv.empty()) << "the second member was not rung after the first one's turn";
  answer(bob, bob_inv, bob_rtp.port(), "webrtc-bob");
  ASSERT_TRUE(wait_until([&] { return !calls().empty() && calls()[0].state == "answered"; }));
  EXPECT_EQ(calls()[0].answered_by, "webrtc:bob");

  // The group's ring timeout no longer applies once answered: 30 s from the start pass without an ending.
  advance(25s);
  ASSERT_EQ(calls().size(), 1u);
  EXPECT_EQ(calls()[0].state, "answered");
  const auto id = calls()[0].id;
  EXPECT_TRUE(on_io([&] { return intercom->hangup(id); }));
  take_bye(bob, "bob");
  EXPECT_TRUE(wait_until([&] { return calls().empty(); }));
}

TEST_F(DoorCallTimersTest, SequentialGroupWithNobodyAnsweringEndsAfterEveryTurn) {
  SipPeer alice, bob;
  resolver.online["webrtc:alice"] = {target(alice, "webrtc-alice")};
  resolver.online["webrtc:bob"] = {target(bob, "webrtc-bob")};
  on_io([this] { intercom->on_door_ring("back"); });
  const auto inv = alice.wait_request("INVITE");
  ASSERT_FALSE(inv.empty());
  alice.send(alice.response(inv, 180, "Ringing", {}, "webrtc-alice"), sip);
  advance(10s);
  take_cancel(alice, inv);
  const auto bob_inv = bob.wait_request("INVITE");
  ASSERT_FALSE(bob_inv.empty());
  bob.send(bob.response(bob_inv, 180, "Ringing", {}, "webrtc-bob"), sip);
  advance(10s);  // bob's turn is over and there is nobody after him
  take_cancel(bob, bob_inv);
  EXPECT_TRUE(wait_until([&] { return calls().empty(); }));
  const auto detail = ended_detail();
  EXPECT_NE(detail.find("reason=no_answer"), std::string::npos) << detail;
  EXPECT_NE(detail.find("duration=20 "), std::string::npos) << detail;
}

TEST_F(DoorCallTimersTest, CallLimitEndsTheAnsweredCallWithByeOnBothLegs) {
  SipPeer alice, alice_rtp;
  resolver.online["webrtc:alice"] = {target(alice, "webrtc-alice")};
  door_calls("cl1");
  const auto inv = alice.wait_request("INVITE");
  ASSERT_FALSE(inv.empty());
  advance(5s);  // five seconds of ringing do not count towards the limit
  answer(alice, inv, alice_rtp.port(), "webrtc-alice");
  ASSERT_TRUE(wait_until([&] { return !calls().empty() && calls()[0].state == "answered"; }));

  advance(119s);  // the door's call_limit is 120 s from the answer
  EXPECT_TRUE(caller.wait_request("BYE", kQuiet).empty()) << "the call limit came early";
  ASSERT_EQ(calls().size(), 1u);

  advance(1s);
  take_bye(caller, "the door");
  take_bye(alice, "the resident");
  EXPECT_TRUE(wait_until([&] { return calls().empty(); }));
  const auto detail = ended_detail();
  EXPECT_NE(detail.find("reason=call_limit"), std::string::npos) << detail;
  EXPECT_NE(detail.find("duration=125 talk=120"), std::string::npos) << detail;
}

}  // namespace
}  // namespace portier::intercom
