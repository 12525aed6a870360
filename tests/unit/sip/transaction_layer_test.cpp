#include "sip/txn/transaction_layer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sip/msg/parser.hpp"
#include "unit/sip/sip_text.hpp"

namespace portier::sip::txn {
namespace {

using namespace std::chrono_literals;

struct FakeSender : Sender {
  std::vector<std::pair<Peer, std::string>> sent;
  bool send(const Peer& to, std::string data) override {
    sent.emplace_back(to, std::move(data));
    return true;
  }
  int last_status() const {
    auto m = msg::parse_message(sent.back().second);
    return m ? m->status() : -1;
  }
};

struct Tu : TransactionLayer::Listener {
  int answer = 200;
  int calls = 0;
  void on_transaction_request(ServerTransaction& txn) override {
    ++calls;
    if (answer) txn.respond(answer);
  }
};

class TransactionLayerTest : public ::testing::Test {
 protected:
  FakeClock clock;
  FakeSender sender;
  Tu tu;
  TransactionLayer layer{sender, clock, tu};

  void receive(std::string_view text, Protocol proto = Protocol::udp) {
    auto in = make_incoming(test::crlf(text), Peer{proto, "192.0.2.10", 5062, proto == Protocol::udp ? 0u : 7u, 0});
    ASSERT_TRUE(in) << in.error().what();
    layer.on_message(std::move(in).value());
  }
  void advance(std::chrono::milliseconds d) {
    clock.advance(d);
    layer.process_timers();
  }
};

TEST_F(TransactionLayerTest, NonInviteRetransmissionAbsorbedThenTimerJ) {
  receive(test::kRegister);
  ASSERT_EQ(tu.calls, 1);
  ASSERT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(sender.last_status(), 200);
  auto resp = msg::parse_message(sender.sent[0].second);
  EXPECT_EQ(resp->top_via()->received().value_or(""), "192.0.2.10");
  EXPECT_NE(resp->top_via()->params.find("rport=5062"), std::string_view::npos);
  EXPECT_FALSE(resp->to()->tag().empty());
  receive(test::kRegister);
  EXPECT_EQ(tu.calls, 1);
  EXPECT_EQ(sender.sent.size(), 2u);
  EXPECT_EQ(sender.sent[1].second, sender.sent[0].second);
  EXPECT_EQ(layer.stats().retransmissions, 1u);
  advance(31s);
  EXPECT_EQ(layer.server_count(), 1u);
  advance(2s);
  EXPECT_EQ(layer.server_count(), 0u);
  receive(test::kRegister);  // after Timer J a copy is a new request
  EXPECT_EQ(tu.calls, 2);
}

TEST_F(TransactionLayerTest, ReliableNonInviteEndsWithFinalResponse) {
  std::string tcp(test::kRegister);
  tcp.replace(tcp.find("UDP"), 3, "TCP");
  receive(tcp, Protocol::tcp);
  EXPECT_EQ(layer.server_count(), 0u);
  EXPECT_EQ(sender.sent[0].first.connection, 7u);
}

TEST_F(TransactionLayerTest, LateAnswerStillCleansUp) {
  tu.answer = 0;
  receive(test::kRegister);
  EXPECT_TRUE(sender.sent.empty());
  receive(test::kRegister);  // nothing to retransmit yet
  EXPECT_TRUE(sender.sent.empty());
  advance(40s);  // TU never answered: the transaction gives up
  EXPECT_EQ(layer.server_count(), 0u);
}

constexpr std::string_view kInvite =
    "INVITE sip:200@portier.local SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKinv1\n"
    "Max-Forwards: 70\n"
    "From: <sip:101@portier.local>;tag=a\n"
    "To: <sip:200@portier.local>\n"
    "Call-ID: inv-1\n"
    "CSeq: 1 INVITE\n"
    "Content-Length: 0\n\n";

TEST_F(TransactionLayerTest, InviteFinalResponseRetransmittedUntilAck) {
  tu.answer = 486;
  receive(kInvite);
  ASSERT_EQ(sender.sent.size(), 1u);
  advance(500ms);  // Timer G = T1
  EXPECT_EQ(sender.sent.size(), 2u);
  advance(1000ms);  // 2*T1
  EXPECT_EQ(sender.sent.size(), 3u);
  std::string ack(kInvite);
  ack.replace(0, 6, "ACK");
  ack.replace(ack.find("1 INVITE"), 8, "1 ACK");
  receive(ack);
  advance(2000ms);
  EXPECT_EQ(sender.sent.size(), 3u);
  EXPECT_EQ(layer.server_count(), 1u);  // confirmed, Timer I
  advance(5s);
  EXPECT_EQ(layer.server_count(), 0u);
}

TEST_F(TransactionLayerTest, InviteWithoutAckEndsAtTimerH) {
  tu.answer = 486;
  receive(kInvite);
  for (int i = 0; i < 70; ++i) advance(500ms);
  EXPECT_EQ(layer.server_count(), 0u);
  EXPECT_LE(sender.sent.size(), 12u);  // G capped at T2
}

TEST_F(TransactionLayerTest, InvalidRequestGets400WithReason) {
  std::string bad(test::kRegister);
  bad.erase(bad.find("Call-ID"), bad.find("CSeq") - bad.find("Call-ID"));
  receive(bad);
  EXPECT_EQ(tu.calls, 0);
  ASSERT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(sender.last_status(), 400);
  EXPECT_NE(sender.sent[0].second.find("Warning: 399 portier \"bad or missing Call-ID\""), std::string::npos);
}

TEST_F(TransactionLayerTest, MergedRequestGets482) {
  tu.answer = 0;
  receive(test::kRegister);
  std::string other(test::kRegister);
  other.replace(other.find("z9hG4bKreg1"), 11, "z9hG4bKreg2");
  receive(other);
  EXPECT_EQ(tu.calls, 1);
  ASSERT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(sender.last_status(), 482);
}

TEST_F(TransactionLayerTest, CancelWithoutInviteGets481) {
  std::string cancel(kInvite);
  cancel.replace(0, 6, "CANCEL");
  cancel.replace(cancel.find("1 INVITE"), 8, "1 CANCEL");
  receive(cancel);
  EXPECT_EQ(sender.last_status(), 481);
}

TEST_F(TransactionLayerTest, Rfc2543RetransmissionMatched) {
  std::string old(test::kRegister);
  old.replace(old.find(";branch=z9hG4bKreg1"), 19, "");
  receive(old);
  receive(old);
  EXPECT_EQ(tu.calls, 1);
  EXPECT_EQ(sender.sent.size(), 2u);
}

TEST_F(TransactionLayerTest, ClientTransactionRetransmitsAndGetsResponse) {
  const Peer to{Protocol::udp, "192.0.2.20", 5070, 0, 0};
  int handled = 0;
  int status = 0;
  auto req = msg::MessageBuilder::request("OPTIONS", "sip:101@192.0.2.20:5070");
  req.add("From", "<sip:portier.local>;tag=k").add("To", "<sip:101@192.0.2.20>").add("Call-ID", "ka1");
  req.add("CSeq", "1 OPTIONS").add("Max-Forwards", "70");
  layer.send_request(to, req, "OPTIONS", "127.0.0.1:5060", [&](const IncomingMessage* r) {
    ++handled;
    status = r ? r->message.status() : -1;
  });
  ASSERT_EQ(sender.sent.size(), 1u);
  auto sent = msg::parse_message(sender.sent[0].second);
  ASSERT_TRUE(sent);
  ASSERT_TRUE(msg::validate_request(*sent));
  advance(500ms);
  EXPECT_EQ(sender.sent.size(), 2u);
  const auto via = std::string(sent->header(msg::HeaderId::via));
  receive("SIP/2.0 200 OK\nVia: " + via + "\nFrom: <sip:portier.local>;tag=k\nTo: <sip:101@192.0.2.20>;tag=z\n"
          "Call-ID: ka1\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n");
  EXPECT_EQ(handled, 1);
  EXPECT_EQ(status, 200);
  advance(6s);
  EXPECT_EQ(layer.client_count(), 0u);
}

TEST_F(TransactionLayerTest, ClientTransactionTimesOut) {
  int status = 0;
  auto req = msg::MessageBuilder::request("OPTIONS", "sip:x@192.0.2.20");
  req.add("From", "<sip:p>;tag=k").add("To", "<sip:x@h>").add("Call-ID", "ka2").add("CSeq", "1 OPTIONS");
  layer.send_request(Peer{Protocol::udp, "192.0.2.20", 5070, 0, 0}, req, "OPTIONS", "127.0.0.1:5060",
                     [&](const IncomingMessage* r) { status = r ? 1 : -1; });
  for (int i = 0; i < 70; ++i) advance(500ms);
  EXPECT_EQ(status, -1);
  EXPECT_EQ(layer.client_count(), 0u);
  EXPECT_EQ(sender.sent.size(), 11u);  // 0, .5, 1.5, 3.5, 7.5, 11.5, ... 31.5 s
}

// features.webrtc.nat.rport: our UDP requests ask for rport (RFC 3581) unless it is turned off.
TEST_F(TransactionLayerTest, RequestViaAsksForRportUnlessOff) {
  auto options = [&](const char* call_id) {
    auto req = msg::MessageBuilder::request("OPTIONS", "sip:x@192.0.2.20");
    req.add("From", "<sip:p>;tag=k").add("To", "<sip:x@h>").add("Call-ID", call_id).add("CSeq", "1 OPTIONS");
    layer.send_request(Peer{Protocol::udp, "192.0.2.20", 5070, 0, 0}, req, "OPTIONS", "127.0.0.1:5060",
                       [](const IncomingMessage*) {});
    auto sent = msg::parse_message(sender.sent.back().second);
    return sent ? std::string(sent->header(msg::HeaderId::via)) : std::string();
  };
  EXPECT_TRUE(layer.rport());
  EXPECT_NE(options("rp1").find(";rport"), std::string::npos);
  layer.set_rport(false);
  const auto via = options("rp2");
  EXPECT_NE(via.find(";branch=z9hG4bK"), std::string::npos) << via;
  EXPECT_EQ(via.find("rport"), std::string::npos) << via;
}

TEST(StampVia, ReceivedAndRport) {
  auto via = msg::parse_via("SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKx;rport;received=1.1.1.1");
  ASSERT_TRUE(via);
  EXPECT_EQ(stamp_via(*via, Peer{Protocol::udp, "203.0.113.7", 40000}),
            "SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKx;received=203.0.113.7;rport=40000");
  auto plain = msg::parse_via("SIP/2.0/TCP host;branch=z9hG4bKy");
  EXPECT_EQ(stamp_via(*plain, Peer{Protocol::tcp, "::1", 1}), "SIP/2.0/TCP host;branch=z9hG4bKy;received=::1");
}

}  // namespace
}  // namespace portier::sip::txn
