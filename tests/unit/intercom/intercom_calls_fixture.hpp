#pragma once
// IntercomCallsTest: the Intercom over a real SipServer and MediaEngine on loopback (io thread of its own), driven by
// scripted SIP peers (sip_peer.hpp). The callers send from a trusted source (SipServer::trust_source, like the WebRTC
// gateway), so no digest is needed. The calls' timers are access::FakeTimers on a FakeClock: ring, member and call
// limit timeouts fire only when a test calls advance(). Shared by intercom_calls_test.cpp and
// door_call_timers_test.cpp.
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

namespace portier::intercom::test {

using namespace std::chrono_literals;
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
inline media::RtpConfig rtp_config() {
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
    RingGroup turns;  // sequential: alice for 10 s, then bob; 30 s in all
    turns.id = "7200";
    turns.members = {"webrtc:alice", "webrtc:bob"};
    turns.strategy = RingStrategy::sequential;
    turns.member_timeout = std::chrono::seconds(10);
    turns.ring_timeout = std::chrono::seconds(30);
    DoorCallSettings back;  // no station: its button rings the sequential group
    back.door = "back";
    back.ring_group = "7200";
    intercom = std::make_unique<Intercom>(io, call_clock, call_timers, *server, media, doors, events,
                                          std::vector<RingGroup>{g, side, turns},
                                          std::vector<DoorCallSettings>{front, no_station, back}, IntercomOptions{});
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

  // Moves the calls' FakeClock forward on the io thread, firing the call timers that fall due (no sleeping).
  void advance(std::chrono::milliseconds d) {
    on_io([this, d] { call_timers.advance(d); });
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
  // The calls' clock and timers: ring, member and call-limit timeouts fire only when a test advances them (on the
  // io thread, see advance()).
  FakeClock call_clock;
  access::FakeTimers call_timers{call_clock};
  std::unique_ptr<Intercom> intercom;
  SipPeer caller;      // door stations and residents calling in (trusted)
  SipPeer caller_rtp;  // only its port is used (announced in the caller's SDP)
  udp::endpoint sip;
  std::thread runner;
};

}  // namespace portier::intercom::test
