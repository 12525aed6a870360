// WebRtcTransport on its own: host candidates, demultiplexing guards (unvalidated DTLS/SRTP, garbage).
#include "webrtc/webrtc_transport.hpp"

#include <gtest/gtest.h>

#include "unit/webrtc/endpoint_fixture.hpp"

namespace portier::webrtc::test {
namespace {

TEST(WebRtcTransportCandidates, AnnouncedAddressWins) {
  auto c = WebRtcTransport::host_candidates(asio::ip::make_address("0.0.0.0"),
                                            asio::ip::make_address("203.0.113.9"), 40000);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].line(), "candidate:1 1 udp " + std::to_string(host_priority(65535, 1)) +
                             " 203.0.113.9 40000 typ host");
}

TEST(WebRtcTransportCandidates, BoundAddressIsUsedAsIs) {
  auto c = WebRtcTransport::host_candidates(asio::ip::make_address("192.0.2.4"), std::nullopt, 40002);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].endpoint.address().to_string(), "192.0.2.4");
  EXPECT_EQ(c[0].endpoint.port(), 40002);
  EXPECT_EQ(c[0].type, "host");
}

TEST(WebRtcTransportCandidates, WildcardListsInterfacesLoopbackLast) {
  auto c = WebRtcTransport::host_candidates(asio::ip::make_address("0.0.0.0"), std::nullopt, 40004);
  ASSERT_FALSE(c.empty());
  EXPECT_TRUE(c.back().endpoint.address().is_loopback());
  for (std::size_t i = 0; i + 1 < c.size(); ++i) {
    EXPECT_FALSE(c[i].endpoint.address().is_loopback());
    EXPECT_GT(c[i].priority, c.back().priority);
  }
}

class Sink final : public WebRtcTransport::Listener, public media::RtpSocket::Listener {
 public:
  void on_transport_connected(WebRtcTransport&) override { ++connected; }
  void on_transport_failed(WebRtcTransport&, const std::string& r) override { reason = r; }
  void on_transport_rtp(WebRtcTransport&, std::span<std::uint8_t>) override { ++rtp; }
  void on_transport_rtcp(WebRtcTransport&, std::span<std::uint8_t>) override { ++rtcp; }
  void on_rtp_socket_datagram(media::RtpSocket&, std::span<std::uint8_t> data, const media::Endpoint& from) override {
    if (transport) transport->on_datagram(data, from);
  }
  WebRtcTransport* transport = nullptr;
  int connected = 0, rtp = 0, rtcp = 0;
  std::string reason;
};

class WebRtcTransportTest : public EngineFixture {};

TEST_F(WebRtcTransportTest, DatagramsFromUncheckedAddressesAreDropped) {
  auto lease = engine_.allocate_ports();
  ASSERT_TRUE(lease);
  Sink sink;
  WebRtcTransport t(io_, clock_, (*lease)->rtp(), certificate(), IceCredentials::generate(), {}, sink);
  sink.transport = &t;
  (*lease)->rtp().start(sink);
  EXPECT_EQ(t.state(), WebRtcTransport::State::idle);
  t.start({"abcd", "0123456789012345678901", "sha-256", certificate()->fingerprint()});
  EXPECT_EQ(t.state(), WebRtcTransport::State::connecting);

  asio::ip::udp::socket s(io_, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const asio::ip::udp::endpoint to(asio::ip::make_address("127.0.0.1"), (*lease)->rtp_port());
  std::vector<std::uint8_t> dtls(40, 0);
  dtls[0] = 22;  // handshake record
  dtls[1] = 0xfe;
  dtls[2] = 0xfd;
  s.send_to(asio::buffer(dtls), to);
  auto rtp = make_rtp(0, 1, 0, 1, std::vector<std::uint8_t>(160, 0xff));
  s.send_to(asio::buffer(rtp), to);
  std::vector<std::uint8_t> garbage{0x10, 1, 2, 3, 4};
  s.send_to(asio::buffer(garbage), to);
  ASSERT_TRUE(run_until([&] { return t.counters().dtls_in + t.counters().not_connected + t.counters().unknown >= 3; }));
  EXPECT_EQ(t.counters().unvalidated, 1u);
  EXPECT_EQ(t.counters().not_connected, 1u);
  EXPECT_EQ(t.counters().unknown, 1u);
  EXPECT_EQ(sink.rtp, 0);
  EXPECT_FALSE(t.send_rtp(rtp));  // not connected: nothing leaves
  EXPECT_NE(t.dump().find("connecting"), std::string::npos);
  t.close();
  EXPECT_EQ(t.state(), WebRtcTransport::State::closed);
  (*lease)->rtp().close();
}

}  // namespace
}  // namespace portier::webrtc::test
