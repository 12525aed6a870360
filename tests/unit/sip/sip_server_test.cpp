// End-to-end tests of the SipServer facade over real loopback sockets, with a small hand-written client. They cover
// what sipp 3.6 cannot drive: SHA-256 digest and CRLF keep-alives on TCP.
#include "sip/ua/sip_server.hpp"

#include <gtest/gtest.h>

#include <poll.h>

#include <future>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/buffers_iterator.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "sip/msg/digest_params.hpp"
#include "sip/msg/parser.hpp"
#include "sip/ua/digest_hash.hpp"
#include "sip/ua/in_memory_binding_store.hpp"
#include "sip/ua/in_memory_extension_directory.hpp"

namespace portier::sip::ua {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

// A port free for UDP and TCP right now (the OS picks ports for each protocol separately).
std::uint16_t free_port() {
  asio::io_context io;
  for (int i = 0; i < 50; ++i) {
    udp::socket u(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const auto p = u.local_endpoint().port();
    boost::system::error_code ec;
    tcp::acceptor a(io);
    a.open(tcp::v4());
    a.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), p), ec);
    if (!ec) return p;
  }
  return 0;
}

// Blocks until `fd` is readable, at most 5 s, so that a broken server fails the test instead of hanging it.
bool readable(int fd, int timeout_ms = 5000) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) == 1;
}

// Accepts every call with a canned answer and remembers who called.
struct AnsweringHandler : InviteHandler {
  std::string caller = "none";
  std::string display;
  int status = 200;  // other than 200: rejected (a non-2xx is ACKed hop-by-hop, which tests can do simply)
  void on_incoming_call(CallLeg& leg, const IncomingCall& call) override {
    caller = call.caller ? call.caller->number : "anonymous";
    display = call.caller ? call.caller->display_name : "";
    if (status != 200) {
      leg.reject(status);
      return;
    }
    leg.accept(Body{"application/sdp", "v=0\r\n"});
  }
};

struct UdpClient {
  asio::io_context io;
  udp::socket socket{io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  udp::endpoint server;
  std::string buffer;

  explicit UdpClient(std::uint16_t port) : server(asio::ip::make_address("127.0.0.1"), port) {
    timeval tv{5, 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  // Sends `text` and returns the first response with its CSeq number (retransmitted answers to earlier requests,
  // which tests do not always ACK, are skipped).
  msg::Message exchange(const std::string& text) {
    socket.send_to(asio::buffer(text), server);
    const auto sent = msg::parse_message(text);
    const auto want = sent && sent->cseq() ? sent->cseq()->number : 0;
    for (int i = 0; i < 20; ++i) {
      buffer.assign(65536, '\0');
      if (!readable(socket.native_handle())) break;
      udp::endpoint from;
      const auto n = socket.receive_from(asio::buffer(buffer), from);
      buffer.resize(n);
      auto m = msg::parse_message(buffer);
      EXPECT_TRUE(m) << buffer;
      if (!m) return msg::Message{};
      if (m->is_request() || !m->cseq() || m->cseq()->number == want || want == 0) return *m;
    }
    ADD_FAILURE() << "no answer to " << text.substr(0, text.find('\r'));
    return msg::Message{};
  }
};

class SipServerTest : public ::testing::Test {
 protected:
  AnsweringHandler handler;
  asio::io_context io;
  SystemClock clock;
  InMemoryExtensionDirectory directory;
  InMemoryBindingStore store;
  std::unique_ptr<SipServer> server;
  std::thread runner;
  std::uint16_t port = 0;

  void start(std::vector<std::string> algorithms, std::chrono::seconds keepalive = std::chrono::seconds(30),
             bool stateless_registrations = true) {
    directory.add(Extension{"101", "Hall", "pw-101", Role::resident});
    SipServer::Options o;
    o.stateless_registrations = stateless_registrations;
    port = free_port();
    o.listen = {"udp:127.0.0.1:" + std::to_string(port), "tcp:127.0.0.1:" + std::to_string(port)};
    o.digest_algorithms = std::move(algorithms);
    o.nat_keepalive_interval = keepalive;
    server = std::make_unique<SipServer>(io, o, directory, store, nullptr, clock);
    server->set_invite_handler(&handler);
    server->start();
    EXPECT_EQ(server->listening()[1], "tcp:127.0.0.1:" + std::to_string(port));
    runner = std::thread([this] { io.run(); });
  }

  void TearDown() override {
    if (!server) return;
    asio::post(io, [this] { server->stop(); io.stop(); });
    runner.join();
  }

  std::string dump() {
    std::promise<std::string> p;
    asio::post(io, [&] { p.set_value(server->dump()); });
    return p.get_future().get();
  }

  // REGISTER, 401, REGISTER with digest, 200 -- then that last REGISTER again, byte for byte (its 200 was "lost"),
  // an older CSeq and a newer one. Returns the 200 and the answer to the copy.
  std::pair<std::string, std::string> register_copy_older_newer() {
    UdpClient client(port);
    auto challenge = client.exchange(request("REGISTER", "UDP", 1));
    EXPECT_EQ(challenge.status(), 401);
    const auto registered = request("REGISTER", "UDP", 2,
                                    authorization(std::string(challenge.header(msg::HeaderId::www_authenticate)),
                                                  "pw-101"));
    auto ok = client.exchange(registered);
    EXPECT_EQ(ok.status(), 200);
    const std::string first(ok.raw());
    auto copy = client.exchange(registered);  // same branch, same nonce-count
    EXPECT_EQ(copy.status(), 200);
    EXPECT_NE(copy.header(msg::HeaderId::contact).find("<sip:101@127.0.0.1:9>;expires=3"), std::string_view::npos);
    const std::string again(copy.raw());
    EXPECT_EQ(bindings(), 1u);
    // An older CSeq with fresh credentials is refused (RFC 3261 §10.3 step 7).
    auto fresh = client.exchange(request("REGISTER", "UDP", 3));
    EXPECT_EQ(fresh.status(), 401);
    auto older = client.exchange(
        request("REGISTER", "UDP", 1, authorization(std::string(fresh.header(msg::HeaderId::www_authenticate)),
                                                   "pw-101")));
    EXPECT_EQ(older.status(), 500);
    // A newer one updates the binding.
    fresh = client.exchange(request("REGISTER", "UDP", 4));
    auto newer = client.exchange(request(
        "REGISTER", "UDP", 5,
        "Expires: 120\r\n" + authorization(std::string(fresh.header(msg::HeaderId::www_authenticate)), "pw-101")));
    EXPECT_EQ(newer.status(), 200);
    EXPECT_NE(newer.header(msg::HeaderId::contact).find(";expires=120"), std::string_view::npos);
    EXPECT_EQ(bindings(), 1u);
    return {first, again};
  }

  std::size_t bindings() {
    std::promise<std::size_t> p;
    asio::post(io, [&] { p.set_value(server->registrations().size()); });
    return p.get_future().get();
  }

  static std::string request(const std::string& method, const std::string& transport, int cseq,
                             const std::string& extra = {}) {
    return method + " sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/" + transport + " 127.0.0.1:9;branch=z9hG4bKt" +
           std::to_string(cseq) + ";rport\r\nFrom: <sip:101@portier.local>;tag=c\r\nTo: <sip:101@portier.local>\r\n" +
           "Call-ID: e2e\r\nCSeq: " + std::to_string(cseq) + " " + method +
           "\r\nContact: <sip:101@127.0.0.1:9>\r\nMax-Forwards: 70\r\n" + extra + "Content-Length: 0\r\n\r\n";
  }

  static std::string authorization(const std::string& challenge_text, const std::string& password,
                                   const std::string& method = "REGISTER",
                                   const std::string& header = "Authorization") {
    auto c = msg::parse_digest(challenge_text);
    EXPECT_TRUE(c);
    DigestInput in;
    in.algorithm = *parse_algorithm(c->algorithm);
    in.username = "101";
    in.realm = c->realm;
    in.password = password;
    in.method = method;
    in.uri = "sip:127.0.0.1";
    in.nonce = c->nonce;
    in.qop = "auth";
    in.nc = "00000001";
    in.cnonce = "e2e";
    return header + ": Digest username=\"101\", realm=\"" + c->realm + "\", nonce=\"" + c->nonce +
           "\", uri=\"sip:127.0.0.1\", response=\"" + digest_response(in) + "\", algorithm=" + c->algorithm +
           ", qop=auth, nc=00000001, cnonce=\"e2e\"\r\n";
  }
};

TEST_F(SipServerTest, UdpRegisterWithSha256) {
  start({"SHA-256"});
  UdpClient client(port);
  auto challenge = client.exchange(request("REGISTER", "UDP", 1));
  ASSERT_EQ(challenge.status(), 401);
  const auto www = std::string(challenge.header(msg::HeaderId::www_authenticate));
  EXPECT_NE(www.find("algorithm=SHA-256"), std::string::npos);
  auto ok = client.exchange(request("REGISTER", "UDP", 2, authorization(www, "pw-101")));
  ASSERT_EQ(ok.status(), 200);
  EXPECT_NE(ok.header(msg::HeaderId::contact).find("expires=3600"), std::string_view::npos);
  EXPECT_NE(ok.top_via()->params.find("rport="), std::string_view::npos);
  EXPECT_EQ(bindings(), 1u);
  auto again = client.exchange(request("REGISTER", "UDP", 3));
  auto bad = client.exchange(
      request("REGISTER", "UDP", 4, authorization(std::string(again.header(msg::HeaderId::www_authenticate)), "x")));
  EXPECT_EQ(bad.status(), 401);
}

// The client's Contact (127.0.0.1:9) is not where its packets come from: it is "behind NAT", so the server pings
// the source address with OPTIONS every nat_keepalive_interval.
TEST_F(SipServerTest, NatedUdpBindingGetsOptionsKeepAlives) {
  start({"MD5"}, std::chrono::seconds(1));
  UdpClient client(port);
  auto challenge = client.exchange(request("REGISTER", "UDP", 1));
  const auto www = std::string(challenge.header(msg::HeaderId::www_authenticate));
  ASSERT_EQ(client.exchange(request("REGISTER", "UDP", 2, authorization(www, "pw-101"))).status(), 200);
  ASSERT_TRUE(readable(client.socket.native_handle()));
  client.buffer.assign(65536, '\0');
  udp::endpoint from;
  client.buffer.resize(client.socket.receive_from(asio::buffer(client.buffer), from));
  auto ping = msg::parse_message(client.buffer);
  ASSERT_TRUE(ping) << client.buffer;
  EXPECT_EQ(ping->method(), "OPTIONS");
  EXPECT_EQ(ping->request_uri(), "sip:101@127.0.0.1:9");
  ASSERT_TRUE(msg::validate_request(*ping));
  EXPECT_EQ(from.port(), port);
}

TEST_F(SipServerTest, UdpOptionsAndUnsupportedMethods) {
  start({"MD5", "SHA-256"});
  UdpClient client(port);
  auto options = client.exchange(request("OPTIONS", "UDP", 1));
  EXPECT_EQ(options.status(), 200);
  EXPECT_NE(options.header(msg::HeaderId::allow).find("REGISTER"), std::string_view::npos);
  EXPECT_EQ(client.exchange(request("SUBSCRIBE", "UDP", 2)).status(), 405);
  EXPECT_EQ(client.exchange(request("BREW", "UDP", 3)).status(), 501);
  EXPECT_EQ(client.exchange(request("OPTIONS", "UDP", 4, "Require: 100rel\r\n")).status(), 420);
  // Known scanners get no answer at all.
  const auto scan = request("OPTIONS", "UDP", 5, "User-Agent: Friendly-Scanner 1.0\r\n");
  client.socket.send_to(asio::buffer(scan), client.server);
  EXPECT_FALSE(readable(client.socket.native_handle(), 300));
  EXPECT_EQ(client.exchange(request("OPTIONS", "UDP", 6, "User-Agent: Linphone\r\n")).status(), 200);
}

TEST_F(SipServerTest, InviteIsChallengedWith407AndReachesTheHandler) {
  start({"MD5"});
  UdpClient client(port);
  auto challenge = client.exchange(request("INVITE", "UDP", 1));
  ASSERT_EQ(challenge.status(), 407);
  const auto pa = std::string(challenge.header(msg::HeaderId::proxy_authenticate));
  ASSERT_FALSE(pa.empty());
  client.socket.send_to(asio::buffer(request("ACK", "UDP", 1)), client.server);
  auto ok = client.exchange(
      request("INVITE", "UDP", 2, authorization(pa, "pw-101", "INVITE", "Proxy-Authorization")));
  ASSERT_EQ(ok.status(), 200);
  EXPECT_EQ(ok.body(), "v=0\r\n");
  EXPECT_FALSE(ok.to()->tag().empty());
  std::promise<std::string> who;
  asio::post(io, [&] { who.set_value(handler.caller); });
  EXPECT_EQ(who.get_future().get(), "101");
}

// The WebRTC gateway's loopback socket is trusted: its INVITEs and REGISTERs are not challenged, and its caller is
// the directory's extension or, for a browser phone the directory does not know, the From user and display name.
// The same requests from any other address:port (another socket on the same host) are challenged as usual.
TEST_F(SipServerTest, TrustedSourceIsNotChallengedOthersAre) {
  handler.status = 486;  // every call that reaches the handler is refused: 486 rather than 407 shows it got there
  start({"MD5"});
  UdpClient gateway(port);
  UdpClient stranger(port);
  auto run = [&](auto fn) {
    std::promise<void> done;
    asio::post(io, [&] {
      fn();
      done.set_value();
    });
    done.get_future().get();
  };
  auto caller = [&] {
    std::promise<std::pair<std::string, std::string>> who;
    asio::post(io, [&] { who.set_value({handler.caller, handler.display}); });
    return who.get_future().get();
  };
  // INVITE number `cseq` (its own branch and Call-ID) from `client`, ACKed; returns the final status.
  auto invite = [&](UdpClient& client, int cseq, const std::string& from = {}) {
    auto text = request("INVITE", "UDP", cseq);
    text.replace(text.find("Call-ID: e2e"), 12, "Call-ID: gw-" + std::to_string(cseq));
    if (!from.empty()) text.replace(text.find("From: <sip:101@portier.local>"), 29, "From: " + from);
    const int status = client.exchange(text).status();
    auto ack = request("ACK", "UDP", cseq);
    ack.replace(ack.find("Call-ID: e2e"), 12, "Call-ID: gw-" + std::to_string(cseq));
    client.socket.send_to(asio::buffer(ack), client.server);
    return status;
  };
  EXPECT_EQ(invite(gateway, 1), 407);
  run([&] { server->trust_source(gateway.socket.local_endpoint()); });

  EXPECT_EQ(invite(gateway, 2), 486);
  EXPECT_EQ(caller().first, "101");
  const std::string browser = "\"Alice B\" <sip:webrtc-alice@portier.local>";
  EXPECT_EQ(invite(gateway, 3, browser), 486);
  EXPECT_EQ(caller(), (std::pair<std::string, std::string>{"webrtc-alice", "Alice B"}));

  // Not from the trusted port: challenged, and an unknown From user cannot slip through either.
  run([&] { handler.caller = "none"; });
  EXPECT_EQ(invite(stranger, 4), 407);
  EXPECT_EQ(invite(stranger, 5, browser), 407);
  EXPECT_EQ(stranger.exchange(request("REGISTER", "UDP", 6)).status(), 401);
  EXPECT_EQ(caller().first, "none");

  // A trusted REGISTER binds without a challenge.
  EXPECT_EQ(gateway.exchange(request("REGISTER", "UDP", 7)).status(), 200);
  EXPECT_EQ(bindings(), 1u);

  run([&] { server->untrust_source(gateway.socket.local_endpoint()); });
  EXPECT_EQ(invite(gateway, 8), 407);
}

TEST_F(SipServerTest, MaxForwardsZeroGets483AndByeWithoutDialog481) {
  start({"MD5"});
  UdpClient client(port);
  auto hops = request("INVITE", "UDP", 1);
  hops.replace(hops.find("Max-Forwards: 70"), 16, "Max-Forwards: 0");
  EXPECT_EQ(client.exchange(hops).status(), 483);
  EXPECT_EQ(client.exchange(request("BYE", "UDP", 2)).status(), 481);
  auto bye = request("BYE", "UDP", 3);
  bye.replace(bye.find("To: <sip:101@portier.local>"), 27, "To: <sip:101@portier.local>;tag=gone");
  EXPECT_EQ(client.exchange(bye).status(), 481);
  EXPECT_EQ(client.exchange(request("OPTIONS", "UDP", 4, "Require: timer\r\n")).status(), 200);
}

TEST_F(SipServerTest, TcpKeepAliveAndRegister) {
  start({"MD5"});
  asio::io_context cio;
  tcp::socket s(cio);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  asio::write(s, asio::buffer(std::string("\r\n\r\n")));
  ASSERT_TRUE(readable(s.native_handle()));
  std::string pong(2, '\0');
  asio::read(s, asio::buffer(pong));
  EXPECT_EQ(pong, "\r\n");
  auto read_message = [&] {
    if (!readable(s.native_handle())) return std::string("timeout");
    asio::streambuf buf;
    asio::read_until(s, buf, "\r\n\r\n");
    std::string text(asio::buffers_begin(buf.data()), asio::buffers_end(buf.data()));
    return text;
  };
  asio::write(s, asio::buffer(request("REGISTER", "TCP", 1)));
  auto text = read_message();
  auto challenge = msg::parse_message(text);
  ASSERT_TRUE(challenge);
  ASSERT_EQ(challenge->status(), 401);
  const auto www = std::string(challenge->header(msg::HeaderId::www_authenticate));
  asio::write(s, asio::buffer(request("REGISTER", "TCP", 2, authorization(www, "pw-101"))));
  auto text2 = read_message();
  auto ok = msg::parse_message(text2);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status(), 200);
  EXPECT_EQ(bindings(), 1u);
  // A message without Content-Length cannot be framed on a stream: the server closes the connection.
  asio::write(s, asio::buffer(std::string("OPTIONS sip:x SIP/2.0\r\nCall-ID: y\r\n\r\n")));
  ASSERT_TRUE(readable(s.native_handle()));
  boost::system::error_code ec;
  char c;
  s.read_some(asio::buffer(&c, 1), ec);
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
}

// Stateless REGISTERs (the default): the copy of an accepted REGISTER reaches the registrar again, which answers it
// with the current bindings; no server transaction is left behind.
TEST_F(SipServerTest, StatelessRegisterCopyAfterLost200GetsThe200Again) {
  start({"MD5"});
  register_copy_older_newer();
  const auto d = dump();
  EXPECT_NE(d.find("servers=0 "), std::string::npos) << d;
  EXPECT_NE(d.find("duplicates=1}"), std::string::npos) << d;
  EXPECT_NE(d.find("retransmissions=0 "), std::string::npos) << d;
}

// Many clients sharing one contact (sipp's benchmark): client A's REGISTER is accepted, client B (another Call-ID)
// takes the binding over, then A's REGISTER arrives again. It is the byte-identical request that last used its
// credentials, so it gets a 200 with the current bindings, and B's binding stays.
TEST_F(SipServerTest, StatelessCopyAfterAnotherClientTookTheBindingOver) {
  start({"MD5"});
  UdpClient client(port);
  auto with_call_id = [](std::string text, const std::string& call_id) {
    text.replace(text.find("Call-ID: e2e"), 12, "Call-ID: " + call_id);
    return text;
  };
  auto www = [](const msg::Message& m) { return std::string(m.header(msg::HeaderId::www_authenticate)); };
  auto a = with_call_id(request("REGISTER", "UDP", 2, authorization(www(client.exchange(request("REGISTER", "UDP", 1))),
                                                                     "pw-101")), "a");
  ASSERT_EQ(client.exchange(a).status(), 200);
  auto b = with_call_id(
      request("REGISTER", "UDP", 2,
              "Expires: 600\r\n" + authorization(www(client.exchange(request("REGISTER", "UDP", 1))), "pw-101")),
      "b");
  ASSERT_EQ(client.exchange(b).status(), 200);
  auto copy = client.exchange(a);
  EXPECT_EQ(copy.status(), 200);
  EXPECT_NE(copy.header(msg::HeaderId::contact).find(";expires=6"), std::string_view::npos);  // B's 600 s
  std::promise<std::string> call_id;
  asio::post(io, [&] { call_id.set_value(server->registrations()[0].call_id); });
  EXPECT_EQ(call_id.get_future().get(), "b");
  EXPECT_EQ(bindings(), 1u);
}

// The transactional path: the copy is absorbed by the server transaction, which resends the identical 200.
TEST_F(SipServerTest, TransactionalRegisterCopyIsAbsorbed) {
  start({"MD5"}, std::chrono::seconds(30), false);
  auto [first, again] = register_copy_older_newer();
  EXPECT_EQ(first, again);
  const auto d = dump();
  EXPECT_NE(d.find("retransmissions=1 "), std::string::npos) << d;
  EXPECT_NE(d.find("duplicates=0}"), std::string::npos) << d;
  EXPECT_EQ(d.find("servers=0 "), std::string::npos) << d;  // completed transactions wait for Timer J
}

TEST(SipServerOptions, BadConfigurationThrows) {
  asio::io_context io;
  SystemClock clock;
  InMemoryExtensionDirectory directory;
  InMemoryBindingStore store;
  SipServer::Options o;
  o.listen = {"udp:not-an-ip:5060"};
  EXPECT_THROW(SipServer(io, o, directory, store, nullptr, clock), std::runtime_error);
  o.listen = {"tls:127.0.0.1:0"};
  EXPECT_THROW(SipServer(io, o, directory, store, nullptr, clock), std::runtime_error);
  o.listen = {"udp:127.0.0.1:0"};
  o.digest_algorithms = {"SHA-512-256"};
  EXPECT_THROW(SipServer(io, o, directory, store, nullptr, clock), std::runtime_error);
  o.digest_algorithms = {"MD5"};
  o.min_expires = 100;
  o.default_expires = 50;
  EXPECT_THROW(SipServer(io, o, directory, store, nullptr, clock), std::runtime_error);
}

}  // namespace
}  // namespace portier::sip::ua
