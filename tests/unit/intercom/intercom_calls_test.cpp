// The Intercom over a real SipServer and MediaEngine on loopback, driven by scripted SIP peers (sip_peer.hpp):
// browser-phone ring-group members through a MemberResolver, extension-to-extension calls (ringing, answer, INFO
// passed on, busy, 404/480, BYE from the callee) and the call button of a door without a station. The callers send
// from a trusted source (SipServer::trust_source, like the WebRTC gateway), so no digest is needed.
#include "intercom/intercom.hpp"

#include <gtest/gtest.h>

#include <future>
#include <map>
#include <thread>

#include <boost/asio/post.hpp>

#include "access/audit_repository_memory.hpp"
#include "access/permission_repository_memory.hpp"
#include "access/timer_fake.hpp"
#include "sip/ua/in_memory_binding_store.hpp"
#include "sip/ua/in_memory_extension_directory.hpp"
#include "unit/access/event_log_fake.hpp"
#include "unit/intercom/sip_peer.hpp"

namespace portier::intercom {
namespace {

using namespace std::chrono_literals;
using test::SipPeer;
using test::sdp_body;
using test::udp;
namespace asio = boost::asio;
namespace msg = sip::msg;

struct FakeResolver : MemberResolver {
  std::map<std::string, std::vector<sip::ua::CallLegs::Target>> online;
  std::vector<std::string> asked;
  std::map<std::string, std::string> names;  // target URI -> who() (as "webrtc:*" targets name their user)
  std::vector<sip::ua::CallLegs::Target> targets(const std::string& member) override {
    asked.push_back(member);
    auto it = online.find(member);
    return it == online.end() ? std::vector<sip::ua::CallLegs::Target>{} : it->second;
  }
  std::string who(const sip::ua::CallLegs::Target& t) const override {
    auto it = names.find(t.uri);
    return it == names.end() ? std::string() : it->second;
  }
};

// A port range of 40 for this test process (the pool skips ports that others hold).
media::RtpConfig rtp_config() {
  media::RtpConfig r;
  r.bind_address = "127.0.0.1";
  r.port_min = static_cast<std::uint16_t>(20000 + (::getpid() % 400) * 100);
  r.port_max = static_cast<std::uint16_t>(r.port_min + 39);
  return r;
}

class IntercomCallsTest : public ::testing::Test {
 protected:
  // Runs `fn` on the io thread and waits for it.
  template <typename F>
  auto on_io(F fn) {
    std::promise<decltype(fn())> p;
    asio::post(io, [&] {
      if constexpr (std::is_void_v<decltype(fn())>) {
        fn();
        p.set_value();
      } else {
        p.set_value(fn());
      }
    });
    return p.get_future().get();
  }
  void SetUp() override {
    directory.add(sip::ua::Extension{"7001", "Front station", "pw", sip::ua::Role::door});
    directory.add(sip::ua::Extension{"7002", "Ann", "pw", sip::ua::Role::resident});
    directory.add(sip::ua::Extension{"7003", "Bea", "pw", sip::ua::Role::resident});
    sip::ua::SipServer::Options o;
    o.listen = {"udp:127.0.0.1:0"};
    o.domain = "portier.test";
    server = std::make_unique<sip::ua::SipServer>(io, o, directory, store, nullptr, clock);
    RingGroup g;
    g.id = "7000";
    g.members = {"7003", "webrtc:alice"};  // 7003 has no phone: only alice rings
    RingGroup side;
    side.id = "7100";
    side.members = {"webrtc:carol"};
    DoorCallSettings front;
    front.door = "front";
    front.station = "7001";
    front.ring_group = "7000";
    DoorCallSettings no_station;
    no_station.door = "side";
    no_station.ring_group = "7100";
    intercom = std::make_unique<Intercom>(io, clock, *server, media, doors, events, std::vector<RingGroup>{g, side},
                                          std::vector<DoorCallSettings>{front, no_station}, IntercomOptions{});
    server->set_invite_handler(intercom.get());
    intercom->set_member_resolver(&resolver);
    server->trust_source(caller.endpoint());
    server->start();
    const auto listen = server->listening()[0];
    sip = udp::endpoint(asio::ip::make_address("127.0.0.1"),
                        static_cast<std::uint16_t>(std::stoi(listen.substr(listen.rfind(':') + 1))));
    runner = std::thread([this] { io.run(); });
  }

  void TearDown() override {
    on_io([this] {
      intercom.reset();
      server->stop();
    });
    io.stop();
    runner.join();
  }

  std::vector<CallInfo> calls() {
    return on_io([this] { return intercom->calls(); });
  }
  std::vector<access::Event> events_of(access::EventType type) {
    return on_io([this, type] {
      std::vector<access::Event> out;
      for (const auto& e : events.events)
        if (e.type == type) out.push_back(e);
      return out;
    });
  }
  bool wait_until(const std::function<bool()>& done) {
    for (int i = 0; i < 100; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  // The caller's INVITE (from the trusted socket) to `to`.
  std::string invite(const std::string& from, const std::string& to, const std::string& call_id) {
    const auto body = sdp_body(caller_rtp.port());
    return "INVITE sip:" + to + "@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + std::to_string(caller.port()) +
           ";branch=z9hG4bK" + call_id + "-1;rport\r\nMax-Forwards: 70\r\nFrom: \"Caller\" <sip:" + from +
           "@portier.test>;tag=" + call_id + "\r\nTo: <sip:" + to + "@portier.test>\r\nCall-ID: " + call_id +
           "\r\nCSeq: 1 INVITE\r\nContact: <" + caller.contact(from) +
           ">\r\nContent-Type: application/sdp\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  // An in-dialog request of the caller after `ok` (Portier's 200 to its INVITE).
  std::string in_dialog(const std::string& method, int cseq, const std::string& ok, const std::string& extra = {},
                        const std::string& body = {}, const std::string& type = {}) {
    auto target = SipPeer::header(ok, "Contact");
    target = target.substr(target.find('<') + 1, target.find('>') - target.find('<') - 1);
    const auto call_id = SipPeer::header(ok, "Call-ID");
    std::string out = method + " " + target + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" +
                      std::to_string(caller.port()) + ";branch=z9hG4bK" + call_id + "-" + std::to_string(cseq) +
                      method + ";rport\r\nMax-Forwards: 70\r\nFrom: " + SipPeer::header(ok, "From") +
                      "\r\nTo: " + SipPeer::header(ok, "To") + "\r\nCall-ID: " + call_id + "\r\nCSeq: " +
                      std::to_string(cseq) + " " + method + "\r\n" + extra;
    if (!type.empty()) out += "Content-Type: " + type + "\r\n";
    return out + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  // `peer` answers Portier's INVITE `inv` with 180 and 200 (SDP with RTP at `rtp`) and waits for the ACK.
  void answer(SipPeer& peer, const std::string& inv, std::uint16_t rtp, const std::string& user) {
    peer.send(peer.response(inv, 180, "Ringing", {}, user), sip);
    peer.send(peer.response(inv, 200, "OK", sdp_body(rtp), user), sip);
    EXPECT_FALSE(peer.wait_request("ACK").empty()) << "no ACK for the 200 of " << user;
  }
  // A request of `peer` in the dialog of Portier's INVITE `inv`, which `peer` answered.
  static std::string peer_request(const SipPeer& peer, const std::string& inv, const std::string& method, int cseq,
                                  const std::string& body = {}, const std::string& type = {}) {
    const auto contact = SipPeer::header(inv, "Contact");
    const auto uri = contact.substr(contact.find('<') + 1, contact.find('>') - contact.find('<') - 1);
    std::string out = method + " " + uri + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + std::to_string(peer.port()) +
                      ";branch=z9hG4bKpeer" + method + std::to_string(cseq) + ";rport\r\nMax-Forwards: 70\r\nFrom: " +
                      SipPeer::header(inv, "To") + ";tag=peer" + std::to_string(peer.port()) +
                      "\r\nTo: " + SipPeer::header(inv, "From") + "\r\nCall-ID: " + SipPeer::header(inv, "Call-ID") +
                      "\r\nCSeq: " + std::to_string(cseq) + " " + method + "\r\n";
    if (!type.empty()) out += "Content-Type: " + type + "\r\n";
    return out + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  sip::ua::CallLegs::Target target(const SipPeer& peer, const std::string& user) {
    return sip::ua::CallLegs::Target{peer.contact(user), std::nullopt};
  }

  asio::io_context io;
  SystemClock clock;
  sip::ua::InMemoryExtensionDirectory directory;
  sip::ua::InMemoryBindingStore store;
  std::unique_ptr<sip::ua::SipServer> server;
  media::MediaEngine media{io, clock, rtp_config()};
  FakeClock door_clock;
  access::FakeTimers timers{door_clock};
  access::MemoryAuditRepository audit_repo;
  access::AuditLog audit{audit_repo, door_clock};
  access::MemoryPermissionRepository perms;
  access::PermissionPolicy policy{perms};
  access::test::EventLog events;
  access::DoorService doors{audit, policy, timers, door_clock, events};
  FakeResolver resolver;
  std::unique_ptr<Intercom> intercom;
  SipPeer caller;      // door stations and residents calling in (trusted)
  SipPeer caller_rtp;  // only its port is used (announced in the caller's SDP)
  udp::endpoint sip;
  std::thread runner;
};

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
