// INVITE client and server transactions on a fake clock: every timer (A, B, D, G, H, I, L, M), UDP against
// reliable transports, CANCEL in both directions, 100 Trying, ACK routing and loop detection.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sip/msg/parser.hpp"
#include "sip/txn/transaction_layer.hpp"
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
  msg::Message parsed(std::size_t i) const { return *msg::parse_message(sent.at(i).second); }
  std::size_t count_starting(std::string_view prefix) const {
    std::size_t n = 0;
    for (const auto& s : sent) n += s.second.starts_with(prefix) ? 1 : 0;
    return n;
  }
};

struct Tu : TransactionLayer::Listener {
  int answer = 0;  // 0: answer later
  std::string last_key;
  int acks = 0, cancelled = 0, timeouts = 0;
  void on_transaction_request(ServerTransaction& txn) override {
    last_key = txn.key();
    if (answer) txn.respond(answer);
  }
  void on_transaction_ack(const IncomingMessage&) override { ++acks; }
  void on_transaction_cancelled(ServerTransaction&) override { ++cancelled; }
  void on_transaction_timeout(ServerTransaction&) override { ++timeouts; }
};

constexpr std::string_view kInvite =
    "INVITE sip:200@portier.local SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKinv1\n"
    "Max-Forwards: 70\n"
    "From: <sip:101@portier.local>;tag=a\n"
    "To: <sip:200@portier.local>\n"
    "Call-ID: inv-1\n"
    "CSeq: 1 INVITE\n"
    "Contact: <sip:101@192.0.2.10:5062>\n"
    "Content-Length: 0\n\n";

std::string with_method(std::string text, std::string_view method) {
  text.replace(0, 6, method);
  text.replace(text.find("1 INVITE"), 8, "1 " + std::string(method));
  return text;
}

class InviteTxnTest : public ::testing::Test {
 protected:
  FakeClock clock;
  FakeSender sender;
  Tu tu;
  TransactionLayer layer{sender, clock, tu};
  std::vector<int> statuses;  // what the INVITE client handler saw (-1: failure)

  void receive(std::string_view text, Protocol proto = Protocol::udp) {
    auto in = make_incoming(test::crlf(text), Peer{proto, "192.0.2.10", 5062, proto == Protocol::udp ? 0u : 7u, 0});
    ASSERT_TRUE(in) << in.error().what();
    layer.on_message(std::move(in).value());
  }
  void advance(std::chrono::milliseconds d) {
    clock.advance(d);
    layer.process_timers();
  }
  std::string invite(Protocol proto = Protocol::udp) {
    auto req = msg::MessageBuilder::request("INVITE", "sip:300@192.0.2.20:5070");
    req.add("Max-Forwards", "70").add("From", "<sip:door@portier.local>;tag=f1").add("To", "<sip:300@192.0.2.20>");
    req.add("Call-ID", "out-1").add("CSeq", "1 INVITE").add("Contact", "<sip:door@127.0.0.1:5060>");
    return layer.send_invite(Peer{proto, "192.0.2.20", 5070, 0, 0}, req, "127.0.0.1:5060",
                             [this](const IncomingMessage* r) { statuses.push_back(r ? r->message.status() : -1); });
  }
  // A response to the INVITE we sent first, with To tag "t".
  void respond_to_invite(int status, std::string_view method = "INVITE", std::size_t which = 0) {
    auto sent = sender.parsed(which);
    std::string text = "SIP/2.0 " + std::to_string(status) + " X\nVia: " +
                       std::string(sent.header(msg::HeaderId::via)) +
                       "\nFrom: <sip:door@portier.local>;tag=f1\nTo: <sip:300@192.0.2.20>" +
                       (status > 100 ? ";tag=t" : "") + "\nCall-ID: out-1\nCSeq: 1 " + std::string(method) +
                       "\nContent-Length: 0\n\n";
    receive(text);
  }
};

TEST_F(InviteTxnTest, ClientTimerARetransmitsWithoutCapUntilTimerB) {
  invite();
  ASSERT_EQ(sender.sent.size(), 1u);
  // A fires at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s (doubling, no T2 cap); B at 32 s.
  for (int i = 0; i < 64; ++i) advance(500ms);
  EXPECT_EQ(sender.sent.size(), 7u);
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses[0], -1);
  EXPECT_EQ(layer.client_count(), 0u);
}

TEST_F(InviteTxnTest, ClientReliableTransportHasNoTimerA) {
  invite(Protocol::tcp);
  advance(31s);
  EXPECT_EQ(sender.sent.size(), 1u);
  advance(2s);
  EXPECT_EQ(statuses, std::vector<int>{-1});  // Timer B still applies
}

TEST_F(InviteTxnTest, ClientProvisionalStopsRetransmissionsAndTimerB) {
  invite();
  respond_to_invite(180);
  EXPECT_EQ(statuses, std::vector<int>{180});
  advance(60s);
  EXPECT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(layer.client_count(), 1u);  // Proceeding has no timer: the TU bounds ringing
}

TEST_F(InviteTxnTest, ClientFailureIsAckedAndTimerDAbsorbsRetransmissions) {
  invite();
  respond_to_invite(486);
  EXPECT_EQ(statuses, std::vector<int>{486});
  ASSERT_EQ(sender.sent.size(), 2u);
  auto ack = sender.parsed(1);
  EXPECT_EQ(ack.method(), "ACK");
  EXPECT_EQ(ack.top_via()->branch(), sender.parsed(0).top_via()->branch());  // same branch (§17.1.1.3)
  EXPECT_EQ(ack.to()->tag(), "t");
  EXPECT_EQ(ack.cseq()->number, 1u);
  EXPECT_EQ(ack.cseq()->method, "ACK");
  respond_to_invite(486);  // retransmitted: ACK again, not passed up
  EXPECT_EQ(sender.sent.size(), 3u);
  EXPECT_EQ(statuses.size(), 1u);
  advance(31s);
  EXPECT_EQ(layer.client_count(), 1u);
  advance(2s);  // Timer D = 32 s over UDP
  EXPECT_EQ(layer.client_count(), 0u);
}

TEST_F(InviteTxnTest, ClientTimerDIsZeroOverTcp) {
  invite(Protocol::tcp);
  respond_to_invite(603);
  advance(1ms);
  EXPECT_EQ(layer.client_count(), 0u);
}

TEST_F(InviteTxnTest, Client2xxAndItsRetransmissionsGoToTheTuUntilTimerM) {
  invite();
  respond_to_invite(200);
  respond_to_invite(200);
  EXPECT_EQ(statuses, (std::vector<int>{200, 200}));
  EXPECT_EQ(sender.sent.size(), 1u);  // the transaction never ACKs a 2xx
  advance(33s);
  EXPECT_EQ(layer.client_count(), 0u);
}

TEST_F(InviteTxnTest, CancelBeforeProvisionalWaitsForIt) {
  const auto key = invite();
  EXPECT_TRUE(layer.cancel(key));
  EXPECT_EQ(sender.count_starting("CANCEL"), 0u);  // §9.1: not before a provisional response
  respond_to_invite(100);
  ASSERT_EQ(sender.count_starting("CANCEL"), 1u);
  auto cancel = sender.parsed(1);
  EXPECT_EQ(cancel.top_via()->branch(), sender.parsed(0).top_via()->branch());
  EXPECT_EQ(cancel.cseq()->number, 1u);
  EXPECT_EQ(cancel.cseq()->method, "CANCEL");
  EXPECT_EQ(cancel.request_uri(), "sip:300@192.0.2.20:5070");
  EXPECT_TRUE(cancel.to()->tag().empty());
  respond_to_invite(200, "CANCEL", 1);
  respond_to_invite(487);
  EXPECT_EQ(statuses, (std::vector<int>{100, 487}));
  EXPECT_EQ(sender.count_starting("ACK"), 1u);
}

TEST_F(InviteTxnTest, CancelAfterProvisionalGoesAtOnceAndIsRetransmitted) {
  const auto key = invite();
  respond_to_invite(180);
  EXPECT_TRUE(layer.cancel(key));
  EXPECT_EQ(sender.count_starting("CANCEL"), 1u);
  advance(500ms);
  EXPECT_EQ(sender.count_starting("CANCEL"), 2u);  // Timer E of the CANCEL's own transaction
  // No final answer to the INVITE within 64*T1 of the CANCEL: the transaction gives up (§9.1).
  for (int i = 0; i < 65; ++i) advance(500ms);
  EXPECT_EQ(statuses, (std::vector<int>{180, -1}));
}

TEST_F(InviteTxnTest, CancelAfterFinalResponseIsRefused) {
  const auto key = invite();
  respond_to_invite(486);
  EXPECT_FALSE(layer.cancel(key));
  EXPECT_EQ(sender.count_starting("CANCEL"), 0u);
}

TEST_F(InviteTxnTest, ServerSends100TryingWhenTheTuAnswersLater) {
  receive(kInvite);
  ASSERT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(sender.parsed(0).status(), 100);
  EXPECT_TRUE(sender.parsed(0).to()->tag().empty());
  receive(kInvite);  // retransmission: the 100 again
  EXPECT_EQ(sender.sent.size(), 2u);
  advance(100s);  // an INVITE may ring for minutes: no give-up timer while the TU decides
  EXPECT_EQ(layer.server_count(), 1u);
}

TEST_F(InviteTxnTest, ServerNo100WhenTheTuAnswersAtOnce) {
  tu.answer = 486;
  receive(kInvite);
  ASSERT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(sender.parsed(0).status(), 486);
}

TEST_F(InviteTxnTest, ServerLateFinalResponseStartsTimerGAtOnce) {
  receive(kInvite);
  auto* txn = layer.find_server(tu.last_key);
  ASSERT_NE(txn, nullptr);
  ASSERT_TRUE(layer.respond(tu.last_key, 480, txn->make_response(480).serialize()));
  EXPECT_EQ(sender.sent.size(), 2u);
  advance(500ms);  // Timer G = T1 after the late answer
  EXPECT_EQ(sender.sent.size(), 3u);
  advance(1s);
  EXPECT_EQ(sender.sent.size(), 4u);
}

TEST_F(InviteTxnTest, ServerTimerGCappedAtT2AndTimerHReportsMissingAck) {
  tu.answer = 486;
  receive(kInvite);
  for (int i = 0; i < 64; ++i) advance(500ms);
  // G at 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, ... 31.5 (capped at T2 = 4 s); H at 32 s.
  EXPECT_EQ(sender.sent.size(), 1u + 10u);
  EXPECT_EQ(tu.timeouts, 1);
  EXPECT_EQ(layer.server_count(), 0u);
}

TEST_F(InviteTxnTest, ServerReliableTransportHasNoTimerGAndNoTimerI) {
  tu.answer = 486;
  std::string tcp(kInvite);
  tcp.replace(tcp.find("UDP"), 3, "TCP");
  receive(tcp, Protocol::tcp);
  advance(10s);
  EXPECT_EQ(sender.sent.size(), 1u);
  receive(with_method(tcp, "ACK"), Protocol::tcp);
  EXPECT_EQ(layer.server_count(), 0u);  // Timer I = 0
  EXPECT_EQ(tu.acks, 0);                // the ACK for a non-2xx stays in the transaction
}

TEST_F(InviteTxnTest, ServerTimerIAbsorbsAckCopiesOverUdp) {
  tu.answer = 486;
  receive(kInvite);
  receive(with_method(std::string(kInvite), "ACK"));
  receive(with_method(std::string(kInvite), "ACK"));
  EXPECT_EQ(tu.acks, 0);
  advance(4900ms);
  EXPECT_EQ(layer.server_count(), 1u);
  advance(200ms);  // Timer I = T4
  EXPECT_EQ(layer.server_count(), 0u);
}

TEST_F(InviteTxnTest, Server2xxAcceptedAbsorbsInviteCopiesUntilTimerL) {
  tu.answer = 200;
  receive(kInvite);
  ASSERT_EQ(sender.sent.size(), 1u);
  receive(kInvite);  // not a new call, and the 2xx is the TU's to resend
  EXPECT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(layer.stats().retransmissions, 1u);
  std::string ack = with_method(std::string(kInvite), "ACK");
  ack.replace(ack.find("z9hG4bKinv1"), 11, "z9hG4bKack1");
  receive(ack);
  EXPECT_EQ(tu.acks, 1);  // the ACK for a 2xx goes to the TU
  advance(33s);
  EXPECT_EQ(layer.server_count(), 0u);
}

TEST_F(InviteTxnTest, CancelGets200AndTheInvite487) {
  receive(kInvite);  // 100 Trying
  receive(with_method(std::string(kInvite), "CANCEL"));
  ASSERT_EQ(sender.sent.size(), 3u);
  EXPECT_EQ(sender.parsed(1).status(), 200);
  EXPECT_EQ(sender.parsed(1).cseq()->method, "CANCEL");
  EXPECT_EQ(sender.parsed(2).status(), 487);
  EXPECT_EQ(sender.parsed(2).cseq()->method, "INVITE");
  EXPECT_EQ(tu.cancelled, 1);
  receive(with_method(std::string(kInvite), "CANCEL"));  // a copy: 200 again, no second 487
  EXPECT_EQ(sender.sent.size(), 4u);
  EXPECT_EQ(tu.cancelled, 1);
}

TEST_F(InviteTxnTest, CancelAfterFinalResponseChangesNothing) {
  tu.answer = 200;
  receive(kInvite);
  receive(with_method(std::string(kInvite), "CANCEL"));
  EXPECT_EQ(sender.parsed(1).status(), 200);
  EXPECT_EQ(sender.sent.size(), 2u);
  EXPECT_EQ(tu.cancelled, 0);
}

TEST_F(InviteTxnTest, MergedInviteGets482) {
  receive(kInvite);
  std::string other(kInvite);
  other.replace(other.find("z9hG4bKinv1"), 11, "z9hG4bKinv2");  // same From tag, Call-ID, CSeq; other branch
  receive(other);
  EXPECT_EQ(sender.parsed(1).status(), 482);
  EXPECT_EQ(layer.stats().merged, 1u);
}

TEST_F(InviteTxnTest, InviteThatLoopedBackGets482) {
  invite();
  const auto our_via = std::string(sender.parsed(0).header(msg::HeaderId::via));
  std::string looped(kInvite);
  looped.replace(looped.find("Via: "), 0, "Via: SIP/2.0/UDP 192.0.2.30;branch=z9hG4bKproxy\nVia: " + our_via + "\n");
  receive(looped);
  EXPECT_EQ(sender.sent.back().second.substr(0, 20), "SIP/2.0 482 Loop Det");
  EXPECT_EQ(layer.stats().loops, 1u);
}

}  // namespace
}  // namespace portier::sip::txn
