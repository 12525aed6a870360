// CallLegs and CallLeg on a fake clock and a fake wire: incoming and outgoing legs, 2xx retransmission until ACK,
// dialog matching (481), glare (491), route sets, session timers, CANCEL in both directions and its race with 200.
#include "sip/ua/call_legs.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sip/msg/parser.hpp"
#include "unit/sip/sip_text.hpp"

namespace portier::sip::ua {
namespace {

using namespace std::chrono_literals;
using txn::Peer;
using txn::Protocol;

struct FakeSender : txn::Sender {
  std::vector<std::string> sent;
  std::vector<Peer> peers;
  bool send(const Peer& to, std::string data) override {
    peers.push_back(to);
    sent.push_back(std::move(data));
    return true;
  }
  msg::Message at(std::size_t i) const { return *msg::parse_message(sent.at(i)); }
  msg::Message last() const { return at(sent.size() - 1); }
  std::vector<std::string> starting(std::string_view prefix) const {
    std::vector<std::string> out;
    for (const auto& s : sent)
      if (s.starts_with(prefix)) out.push_back(s);
    return out;
  }
};

// What SipServer does for the legs, minus authentication.
struct Tu : txn::TransactionLayer::Listener {
  CallLegs* calls = nullptr;
  void on_transaction_request(txn::ServerTransaction& txn) override {
    auto to = txn.message().to();
    if (txn.message().method() == "INVITE" && to->tag().empty()) calls->on_invite(txn, std::nullopt);
    else calls->on_in_dialog_request(txn);
  }
  void on_transaction_ack(const txn::IncomingMessage& ack) override { calls->on_ack(ack); }
  void on_transaction_cancelled(txn::ServerTransaction& invite) override { calls->on_cancelled(invite); }
};

struct App : InviteHandler, CallLeg::Listener {
  enum class Mode { ring, accept, reject } mode = Mode::ring;
  CallLeg* leg = nullptr;
  std::vector<std::string> events;
  std::uint32_t max_forwards = 0;
  Body answer{"application/sdp", "v=0 answer\r\n"};
  void on_incoming_call(CallLeg& l, const IncomingCall& call) override {
    leg = &l;
    l.set_listener(this);
    events.push_back("incoming " + call.request_uri + " offer=" + std::to_string(call.offer.data.size()));
    max_forwards = call.max_forwards;
    if (mode == Mode::ring) l.ring();
    if (mode == Mode::accept) l.accept(answer);
    if (mode == Mode::reject) l.reject(486);
  }
  void on_leg_provisional(CallLeg&, int status, const Body* body) override {
    events.push_back("provisional " + std::to_string(status) + (body ? " body" : ""));
  }
  void on_leg_answered(CallLeg&, const Body& a) override { events.push_back("answered " + a.data); }
  void on_leg_failed(CallLeg&, int status, std::string_view) override {
    events.push_back("failed " + std::to_string(status));
  }
  void on_leg_confirmed(CallLeg&, const Body*) override { events.push_back("confirmed"); }
  void on_leg_ended(CallLeg&, EndReason why) override { events.push_back("ended " + std::string(end_reason_name(why))); }
  std::optional<Body> on_leg_offer(CallLeg&, const Body& offer) override {
    events.push_back("offer " + offer.data);
    return Body{"application/sdp", "v=0 reanswer\r\n"};
  }
  void on_leg_reinvite_result(CallLeg&, int status, const Body*) override {
    events.push_back("reinvite " + std::to_string(status));
  }
  void on_leg_info(CallLeg&, const Body& body) override { events.push_back("info " + body.data); }
};

constexpr std::string_view kSdp = "v=0 offer";  // no line ends: the test helper turns \n into CRLF

class CallLegsTest : public ::testing::Test {
 protected:
  FakeClock clock;
  FakeSender sender;
  Tu tu;
  txn::TransactionLayer layer{sender, clock, tu};
  CallLegs calls{layer, clock, options()};
  App app;

  static CallLegs::Options options() {
    CallLegs::Options o;
    o.locals.push_back(txn::ListenSpec{Protocol::udp, "127.0.0.1", 5060});
    o.ring_timeout = 60s;
    return o;
  }
  void SetUp() override {
    tu.calls = &calls;
    calls.set_handler(&app);
  }
  void receive(const std::string& text) {
    auto in = txn::make_incoming(test::crlf(text), Peer{Protocol::udp, "192.0.2.10", 5062, 0, 0});
    ASSERT_TRUE(in) << in.error().what() << "\n" << text;
    layer.on_message(std::move(in).value());
  }
  void advance(std::chrono::milliseconds d) {
    clock.advance(d);
    layer.process_timers();
    calls.process_timers();
  }

  // ---- the phone's side (192.0.2.10:5062) calling us ----
  static std::string phone_invite(const std::string& extra = {}, std::string_view body = kSdp,
                                  const std::string& branch = "z9hG4bKp1") {
    std::string t = "INVITE sip:door@portier.local SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10:5062;branch=" + branch +
                    "\nMax-Forwards: 70\nFrom: \"Hall\" <sip:101@portier.local>;tag=ph\nTo: <sip:door@portier.local>\n"
                    "Call-ID: c1\nCSeq: 1 INVITE\nContact: <sip:101@192.0.2.10:5062>\n" + extra;
    if (!body.empty()) t += "Content-Type: application/sdp\n";
    return t + "Content-Length: " + std::to_string(body.size()) + "\n\n" + std::string(body);
  }
  std::string our_tag() const {
    for (auto i = sender.sent.size(); i-- > 0;) {
      auto m = sender.at(i);
      if (m.is_response() && !m.to()->tag().empty()) return std::string(m.to()->tag());
    }
    return {};
  }
  // A request from the phone in the dialog it made with phone_invite().
  std::string phone_request(std::string_view method, int cseq, const std::string& branch,
                            const std::string& extra = {}, std::string_view body = {}) const {
    std::string t = std::string(method) + " sip:door@127.0.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10:5062;branch=" +
                    branch + "\nMax-Forwards: 70\nFrom: \"Hall\" <sip:101@portier.local>;tag=ph\n" +
                    "To: <sip:door@portier.local>;tag=" + our_tag() + "\nCall-ID: c1\nCSeq: " + std::to_string(cseq) +
                    " " + std::string(method) + "\nContact: <sip:101@192.0.2.10:5062>\n" + extra;
    if (!body.empty()) t += "Content-Type: application/sdp\n";
    return t + "Content-Length: " + std::to_string(body.size()) + "\n\n" + std::string(body);
  }

  // ---- us calling the phone ----
  CallLeg* call_out(std::uint32_t session_expires = 0) {
    CallLegs::OutgoingCall call;
    call.from_user = "door";
    call.offer = Body{"application/sdp", std::string(kSdp)};
    call.session_expires = session_expires;
    auto leg = calls.invite(CallLegs::Target{"sip:300@192.0.2.10:5062", std::nullopt}, call, app);
    EXPECT_TRUE(leg);
    return leg ? *leg : nullptr;
  }
  // The phone's response to the first request we sent with `method` (our INVITE by default).
  std::string phone_response(int status, const std::string& extra = {}, std::string_view body = {},
                             std::string_view method = "INVITE") const {
    msg::Message req;
    for (std::size_t i = 0; i < sender.sent.size(); ++i) {
      auto m = sender.at(i);
      if (m.is_request() && m.method() == method) {
        req = m;
        break;
      }
    }
    std::string to(req.header(msg::HeaderId::to));
    if (status > 100 && to.find("tag=") == std::string::npos) to += ";tag=callee";
    std::string t = "SIP/2.0 " + std::to_string(status) + " X\nVia: " + std::string(req.header(msg::HeaderId::via)) +
                    "\nFrom: " + std::string(req.header(msg::HeaderId::from)) + "\nTo: " + to +
                    "\nCall-ID: " + std::string(req.call_id()) + "\nCSeq: " + std::string(req.header(msg::HeaderId::cseq)) +
                    "\nContact: <sip:300@192.0.2.10:5062>\n" + extra;
    if (!body.empty()) t += "Content-Type: application/sdp\n";
    return t + "Content-Length: " + std::to_string(body.size()) + "\n\n" + std::string(body);
  }
};

TEST_F(CallLegsTest, IncomingRingAcceptRetransmit2xxUntilAck) {
  receive(phone_invite());
  ASSERT_EQ(app.events.size(), 1u);
  EXPECT_EQ(app.events[0], "incoming sip:door@portier.local offer=9");
  EXPECT_EQ(app.max_forwards, 70u);
  ASSERT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(sender.last().status(), 180);
  EXPECT_FALSE(sender.last().to()->tag().empty());
  ASSERT_TRUE(app.leg->accept(app.answer));
  auto ok = sender.last();
  EXPECT_EQ(ok.status(), 200);
  EXPECT_EQ(ok.body(), "v=0 answer\r\n");
  EXPECT_EQ(ok.header(msg::HeaderId::contact), "<sip:door@127.0.0.1:5060>");
  EXPECT_EQ(app.leg->state(), CallLeg::State::accepted);
  advance(500ms);
  advance(1000ms);
  EXPECT_EQ(sender.starting("SIP/2.0 200").size(), 3u);  // T1, then 2*T1 (§13.3.1.4)
  receive(phone_request("ACK", 1, "z9hG4bKack"));
  EXPECT_EQ(app.events.back(), "confirmed");
  EXPECT_EQ(app.leg->state(), CallLeg::State::confirmed);
  advance(10s);
  EXPECT_EQ(sender.starting("SIP/2.0 200").size(), 3u);
}

TEST_F(CallLegsTest, IncomingNeverAckedEndsWithBye) {
  app.mode = App::Mode::accept;
  receive(phone_invite());
  for (int i = 0; i < 70; ++i) advance(500ms);
  EXPECT_EQ(app.events.back(), "ended ack_timeout");
  auto byes = sender.starting("BYE ");
  ASSERT_GE(byes.size(), 1u);  // retransmitted by its transaction while the phone stays silent
  auto bye = *msg::parse_message(byes[0]);
  EXPECT_EQ(bye.request_uri(), "sip:101@192.0.2.10:5062");  // the remote target from Contact
  EXPECT_EQ(bye.from()->tag(), our_tag());
  EXPECT_EQ(bye.to()->tag(), "ph");
}

TEST_F(CallLegsTest, ByeEndsTheCallAndUnknownDialogGets481) {
  app.mode = App::Mode::accept;
  receive(phone_invite());
  receive(phone_request("ACK", 1, "z9hG4bKack"));
  receive(phone_request("BYE", 2, "z9hG4bKbye"));
  EXPECT_EQ(sender.last().status(), 200);
  EXPECT_EQ(sender.last().cseq()->method, "BYE");
  EXPECT_EQ(app.events.back(), "ended remote_bye");
  receive(phone_request("BYE", 3, "z9hG4bKbye2"));  // the dialog is gone
  EXPECT_EQ(sender.last().status(), 481);
  std::string stray = phone_request("INFO", 4, "z9hG4bKinfo");
  stray.replace(stray.find("Call-ID: c1"), 11, "Call-ID: c9");
  receive(stray);
  EXPECT_EQ(sender.last().status(), 481);
  EXPECT_EQ(calls.size(), 1u);  // a terminated leg lingers to absorb retransmissions ...
  advance(33s);
  EXPECT_EQ(calls.size(), 0u);  // ... and is freed after that
}

TEST_F(CallLegsTest, CallToARegisteredContactGoesToItsFlow) {
  Binding b;
  b.contact = "sip:101@10.0.0.5:5062";  // private address in the Contact; the flow is the NAT's public side
  b.source = Peer{Protocol::udp, "203.0.113.7", 40000, 0, 0};
  CallLegs::OutgoingCall call;
  call.max_forwards = 69;
  auto leg = calls.invite(CallLegs::Target::of(b), call, app);
  ASSERT_TRUE(leg);
  EXPECT_EQ(sender.at(0).request_uri(), "sip:101@10.0.0.5:5062");
  EXPECT_EQ(sender.at(0).header(msg::HeaderId::max_forwards), "69");
  EXPECT_EQ(sender.peers.at(0).to_string(), "udp:203.0.113.7:40000");
}

TEST_F(CallLegsTest, InviteToUnusableTargetIsAnError) {
  CallLegs::OutgoingCall call;
  EXPECT_FALSE(calls.invite({"sip:300@phone.example", std::nullopt}, call, app));  // no DNS here
  EXPECT_FALSE(calls.invite({"tel:+123", std::nullopt}, call, app));
  EXPECT_FALSE(calls.invite({"sip:300@192.0.2.10;transport=tls", std::nullopt}, call, app));  // no TLS listener
  EXPECT_TRUE(sender.sent.empty());
}

TEST_F(CallLegsTest, IncomingCancelled) {
  receive(phone_invite());
  std::string cancel = phone_invite({}, {});
  cancel.replace(0, 6, "CANCEL");
  cancel.replace(cancel.find("1 INVITE"), 8, "1 CANCEL");
  receive(cancel);
  EXPECT_EQ(app.events.back(), "ended cancelled");
  EXPECT_EQ(sender.starting("SIP/2.0 487").size(), 1u);
  EXPECT_EQ(app.leg->state(), CallLeg::State::terminated);
  EXPECT_FALSE(app.leg->accept(app.answer));  // too late
}

TEST_F(CallLegsTest, IncomingRejectedAndRingTimeout) {
  app.mode = App::Mode::reject;
  receive(phone_invite());
  EXPECT_EQ(sender.last().status(), 486);
  app.mode = App::Mode::ring;
  std::string second = phone_invite({}, kSdp, "z9hG4bKp2");
  second.replace(second.find("Call-ID: c1"), 11, "Call-ID: c2");
  receive(second);
  advance(61s);
  EXPECT_EQ(sender.last().status(), 480);
  EXPECT_EQ(app.events.back(), "ended ring_timeout");
}

TEST_F(CallLegsTest, InDialogInfoUpdatePrackOptionsAndOutOfOrderCSeq) {
  app.mode = App::Mode::accept;
  receive(phone_invite());
  receive(phone_request("ACK", 1, "z9hG4bKack"));
  receive(phone_request("INFO", 2, "z9hG4bKi", {}, "Signal=5"));
  EXPECT_EQ(sender.last().status(), 200);
  EXPECT_EQ(app.events.back(), "info Signal=5");
  receive(phone_request("UPDATE", 3, "z9hG4bKu", {}, "v=0 new"));
  EXPECT_EQ(sender.last().status(), 200);
  EXPECT_EQ(sender.last().body(), "v=0 reanswer\r\n");
  receive(phone_request("UPDATE", 4, "z9hG4bKu2"));
  EXPECT_EQ(sender.last().status(), 200);
  EXPECT_TRUE(sender.last().body().empty());
  receive(phone_request("PRACK", 5, "z9hG4bKpr"));
  EXPECT_EQ(sender.last().status(), 200);
  receive(phone_request("OPTIONS", 6, "z9hG4bKo"));
  EXPECT_EQ(sender.last().status(), 200);
  receive(phone_request("INFO", 5, "z9hG4bKold"));
  EXPECT_EQ(sender.last().status(), 500);
}

TEST_F(CallLegsTest, ReinviteFromPeerGetsAnswerAndNeedsAck) {
  app.mode = App::Mode::accept;
  receive(phone_invite());
  receive(phone_request("ACK", 1, "z9hG4bKack"));
  receive(phone_request("INVITE", 2, "z9hG4bKre", {}, "v=0 hold"));
  EXPECT_EQ(app.events.back(), "offer v=0 hold");
  EXPECT_EQ(sender.last().status(), 200);
  EXPECT_EQ(sender.last().body(), "v=0 reanswer\r\n");
  advance(500ms);
  EXPECT_EQ(sender.last().status(), 200);  // retransmitted until the ACK
  receive(phone_request("ACK", 2, "z9hG4bKack2"));
  const auto n = sender.sent.size();
  advance(5s);
  EXPECT_EQ(sender.sent.size(), n);
}

TEST_F(CallLegsTest, GlareGets491) {
  app.mode = App::Mode::accept;
  receive(phone_invite());
  receive(phone_request("ACK", 1, "z9hG4bKack"));
  ASSERT_TRUE(app.leg->reinvite(Body{"application/sdp", "v=0 mine\r\n"}));
  EXPECT_FALSE(app.leg->reinvite(Body{"application/sdp", "v=0 again\r\n"}));  // one offer at a time
  receive(phone_request("INVITE", 2, "z9hG4bKre", {}, "v=0 theirs"));
  EXPECT_EQ(sender.last().status(), 491);
  // Our re-INVITE gets 491 too: reported, the call stays up.
  receive(phone_response(491));
  EXPECT_EQ(app.events.back(), "reinvite 491");
  EXPECT_EQ(app.leg->state(), CallLeg::State::confirmed);
}

TEST_F(CallLegsTest, RouteSetFromRecordRouteInBothDirections) {
  app.mode = App::Mode::accept;
  receive(phone_invite("Record-Route: <sip:p1.example;lr>, <sip:p2.example;lr>\n"));
  receive(phone_request("ACK", 1, "z9hG4bKack"));
  app.leg->bye();
  const auto bye_text = sender.starting("BYE ")[0];
  auto bye = *msg::parse_message(bye_text);
  EXPECT_EQ(bye.request_uri(), "sip:101@192.0.2.10:5062");
  auto routes = bye.values(msg::HeaderId::route);
  ASSERT_EQ(routes->size(), 2u);
  EXPECT_EQ((*routes)[0], "<sip:p1.example;lr>");  // UAS: in order
  EXPECT_EQ(bye.cseq()->number, 1u);

  auto* leg = call_out();
  receive(phone_response(200, "Record-Route: <sip:p1.example;lr>\nRecord-Route: <sip:p2.example;lr>\n", "v=0 a"));
  ASSERT_EQ(leg->state(), CallLeg::State::confirmed);
  const auto& route = leg->dialog()->route_set();
  ASSERT_EQ(route.size(), 2u);
  EXPECT_EQ(route[0], "<sip:p2.example;lr>");  // UAC: reversed
  const auto ack_text = sender.starting("ACK ").back();
  auto ack = *msg::parse_message(ack_text);
  EXPECT_EQ(ack.values(msg::HeaderId::route)->front(), "<sip:p2.example;lr>");
}

TEST_F(CallLegsTest, StrictRouteBecomesRequestUri) {
  app.mode = App::Mode::accept;
  receive(phone_invite("Record-Route: <sip:strict.example>\n"));
  receive(phone_request("ACK", 1, "z9hG4bKack"));
  app.leg->bye();
  const auto bye_text = sender.starting("BYE ")[0];
  auto bye = *msg::parse_message(bye_text);
  EXPECT_EQ(bye.request_uri(), "sip:strict.example");
  EXPECT_EQ(bye.header(msg::HeaderId::route), "<sip:101@192.0.2.10:5062>");
}

TEST_F(CallLegsTest, OutgoingCallAnsweredAckedAndHungUp) {
  auto* leg = call_out();
  ASSERT_NE(leg, nullptr);
  auto invite = sender.at(0);
  EXPECT_EQ(invite.method(), "INVITE");
  EXPECT_EQ(invite.request_uri(), "sip:300@192.0.2.10:5062");
  EXPECT_EQ(invite.body(), kSdp);
  EXPECT_EQ(invite.header(msg::HeaderId::contact), "<sip:door@127.0.0.1:5060>");
  receive(phone_response(100));
  receive(phone_response(183, {}, "v=0 early"));
  EXPECT_EQ(app.events.back(), "provisional 183 body");
  ASSERT_NE(leg->dialog(), nullptr);
  EXPECT_EQ(leg->dialog()->state(), Dialog::State::early);
  receive(phone_response(200, {}, "v=0 a"));
  EXPECT_EQ(app.events.back(), "answered v=0 a");
  const auto ack_text = sender.starting("ACK ").at(0);
  auto ack = *msg::parse_message(ack_text);
  EXPECT_EQ(ack.cseq()->number, 1u);
  EXPECT_NE(ack.top_via()->branch(), invite.top_via()->branch());  // the ACK for a 2xx is its own transaction
  EXPECT_EQ(ack.to()->tag(), "callee");
  receive(phone_response(200, {}, "v=0 a"));  // a copy: ACKed again, not reported again
  EXPECT_EQ(sender.starting("ACK ").size(), 2u);
  EXPECT_EQ(app.events.back(), "answered v=0 a");
  ASSERT_TRUE(leg->bye());
  const auto bye_text = sender.starting("BYE ").at(0);
  auto bye = *msg::parse_message(bye_text);
  EXPECT_EQ(bye.cseq()->number, 2u);
  EXPECT_EQ(bye.request_uri(), "sip:300@192.0.2.10:5062");
}

TEST_F(CallLegsTest, OutgoingBusyAndPeerHangsUp) {
  call_out();
  receive(phone_response(486));
  EXPECT_EQ(app.events.back(), "failed 486");
  EXPECT_EQ(sender.starting("ACK ").size(), 1u);  // the transaction ACKs non-2xx

  sender.sent.clear();
  auto* leg = call_out();
  receive(phone_response(200));
  std::string bye = "BYE sip:door@127.0.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKb\n"
                    "Max-Forwards: 70\nFrom: " + std::string(sender.at(0).header(msg::HeaderId::to)) +
                    ";tag=callee\nTo: " + std::string(sender.at(0).header(msg::HeaderId::from)) + "\nCall-ID: " +
                    std::string(sender.at(0).call_id()) + "\nCSeq: 1 BYE\nContent-Length: 0\n\n";
  receive(bye);
  EXPECT_EQ(sender.last().status(), 200);
  EXPECT_EQ(app.events.back(), "ended remote_bye");
  EXPECT_EQ(leg->state(), CallLeg::State::terminated);
}

TEST_F(CallLegsTest, CancelBeforeAndAfterProvisional) {
  auto* leg = call_out();
  ASSERT_TRUE(leg->cancel());
  EXPECT_TRUE(sender.starting("CANCEL ").empty());  // §9.1: waits for a provisional response
  receive(phone_response(180));
  ASSERT_EQ(sender.starting("CANCEL ").size(), 1u);
  receive(phone_response(200, {}, {}, "CANCEL"));
  receive(phone_response(487));
  EXPECT_EQ(sender.starting("ACK ").size(), 1u);
  EXPECT_TRUE(app.events.empty() || app.events.back() == "provisional 180");  // the app asked: no callbacks
}

TEST_F(CallLegsTest, CancelRacing200IsAckedThenByed) {
  auto* leg = call_out();
  receive(phone_response(180));
  ASSERT_TRUE(leg->cancel());
  ASSERT_EQ(sender.starting("CANCEL ").size(), 1u);
  receive(phone_response(200, {}, "v=0 a"));  // the callee answered before the CANCEL arrived
  ASSERT_EQ(sender.starting("ACK ").size(), 1u);
  ASSERT_EQ(sender.starting("BYE ").size(), 1u);
  const auto bye_text = sender.starting("BYE ")[0];
  auto bye = *msg::parse_message(bye_text);
  EXPECT_EQ(bye.to()->tag(), "callee");
  EXPECT_EQ(app.events.back(), "provisional 180");
}

TEST_F(CallLegsTest, SecondForkAnsweringIsAckedAndByed) {
  auto* leg = call_out();
  receive(phone_response(200, {}, "v=0 a"));
  ASSERT_EQ(leg->state(), CallLeg::State::confirmed);
  // The same INVITE answered by another fork (another To tag): §13.2.2.4, ACK and BYE that one.
  std::string other = phone_response(200, {}, "v=0 b");
  other.replace(other.find("tag=callee"), 10, "tag=fork2");
  receive(other);
  ASSERT_EQ(sender.starting("ACK ").size(), 2u);
  const auto bye_text = sender.starting("BYE ").at(0);
  auto bye = *msg::parse_message(bye_text);
  EXPECT_EQ(bye.to()->tag(), "fork2");
  EXPECT_EQ(leg->state(), CallLeg::State::confirmed);  // our call is untouched
  EXPECT_EQ(app.events.back(), "answered v=0 a");
}

TEST_F(CallLegsTest, HangupBeforeAckWaitsForTheAck) {
  app.mode = App::Mode::accept;
  receive(phone_invite());
  app.leg->hangup();
  EXPECT_TRUE(sender.starting("BYE ").empty());  // §15: not before the ACK
  receive(phone_request("ACK", 1, "z9hG4bKack"));
  EXPECT_EQ(sender.starting("BYE ").size(), 1u);
  EXPECT_EQ(app.events.size(), 1u);  // the application asked: no callbacks after "incoming"
}

TEST_F(CallLegsTest, OutgoingRingTimeoutCancelsAndReports408) {
  call_out();
  receive(phone_response(180));
  advance(61s);
  ASSERT_EQ(sender.starting("CANCEL ").size(), 1u);
  receive(phone_response(487));
  EXPECT_EQ(app.events.back(), "failed 408");
}

TEST_F(CallLegsTest, SessionTimerAsUasPeerRefreshes) {
  app.mode = App::Mode::accept;
  receive(phone_invite("Supported: timer\nSession-Expires: 1800\n"));
  auto ok = sender.last();
  EXPECT_EQ(ok.header(msg::HeaderId::session_expires), "1800;refresher=uac");
  EXPECT_EQ(ok.header(msg::HeaderId::require), "timer");
  receive(phone_request("ACK", 1, "z9hG4bKack"));
  EXPECT_EQ(app.leg->session_interval(), 1800u);
  EXPECT_FALSE(app.leg->we_refresh());
  ASSERT_TRUE(app.leg->session_deadline());
  EXPECT_EQ(*app.leg->session_deadline() - clock.steady_now(), std::chrono::seconds(1800 - 32));
  // The peer refreshes with UPDATE halfway: the deadline moves.
  advance(900s);
  receive(phone_request("UPDATE", 2, "z9hG4bKup", "Supported: timer\nSession-Expires: 1800;refresher=uac\n"));
  EXPECT_EQ(sender.last().status(), 200);
  advance(1000s);
  EXPECT_TRUE(sender.starting("BYE ").empty());
  advance(800s);  // no second refresh: we end the call
  EXPECT_EQ(sender.starting("BYE ").size(), 1u);
  EXPECT_EQ(app.events.back(), "ended session_expired");
}

TEST_F(CallLegsTest, SessionTimerAsUasWeRefreshWhenThePeerCannot) {
  app.mode = App::Mode::accept;
  receive(phone_invite("Session-Expires: 120\n"));  // a proxy asked for it; the phone does not support timer
  EXPECT_EQ(sender.last().header(msg::HeaderId::session_expires), "120;refresher=uas");
  EXPECT_FALSE(sender.last().has(msg::HeaderId::require));
  receive(phone_request("ACK", 1, "z9hG4bKack"));
  EXPECT_TRUE(app.leg->we_refresh());
  advance(61s);
  const auto reinvites = sender.starting("INVITE ");
  ASSERT_EQ(reinvites.size(), 1u);
  auto re = *msg::parse_message(reinvites[0]);
  EXPECT_EQ(re.body(), "v=0 answer\r\n");  // the same session description
  EXPECT_EQ(re.cseq()->number, 1u);
}

TEST_F(CallLegsTest, SessionTimerTooSmallGets422) {
  receive(phone_invite("Supported: timer\nSession-Expires: 60\n"));
  EXPECT_EQ(sender.last().status(), 422);
  EXPECT_EQ(sender.last().header(msg::HeaderId::min_se), "90");
  EXPECT_TRUE(app.events.empty());
}

TEST_F(CallLegsTest, SessionTimerAsUac) {
  auto* leg = call_out(1800);
  auto invite = sender.at(0);
  EXPECT_EQ(invite.header(msg::HeaderId::session_expires), "1800");
  EXPECT_NE(invite.header(msg::HeaderId::supported).find("timer"), std::string_view::npos);
  receive(phone_response(200, "Require: timer\nSession-Expires: 1800;refresher=uac\n", "v=0 a"));
  EXPECT_TRUE(leg->we_refresh());
  EXPECT_EQ(*leg->session_deadline() - clock.steady_now(), std::chrono::seconds(900));
}

}  // namespace
}  // namespace portier::sip::ua
