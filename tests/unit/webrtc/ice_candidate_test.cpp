#include "webrtc/ice/ice_candidate.hpp"

#include <gtest/gtest.h>

#include "webrtc/ice/ice_credentials.hpp"
#include "webrtc/ice/ice_error.hpp"

namespace portier::webrtc {
namespace {

TEST(IceCandidate, HostIpv4AsChromeTricklesIt) {
  auto c = parse_candidate(
      "candidate:842163049 1 udp 2122260223 192.168.1.20 54321 typ host generation 0 ufrag Ab1c network-id 1");
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->foundation, "842163049");
  EXPECT_EQ(c->component, 1);
  EXPECT_EQ(c->transport, "udp");
  EXPECT_EQ(c->priority, 2122260223u);
  EXPECT_EQ(c->endpoint.address().to_string(), "192.168.1.20");
  EXPECT_EQ(c->endpoint.port(), 54321);
  EXPECT_EQ(c->type, "host");
  EXPECT_FALSE(c->related);
  EXPECT_EQ(c->line(), "candidate:842163049 1 udp 2122260223 192.168.1.20 54321 typ host");
}

TEST(IceCandidate, SrflxWithRelatedAddressAndSdpPrefix) {
  auto c = parse_candidate("a=candidate:1 1 UDP 1686052607 203.0.113.7 61000 typ srflx raddr 10.0.0.5 rport 50000\r\n");
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->transport, "udp");
  EXPECT_EQ(c->type, "srflx");
  ASSERT_TRUE(c->related);
  EXPECT_EQ(c->related->address().to_string(), "10.0.0.5");
  EXPECT_EQ(c->related->port(), 50000);
  auto again = parse_candidate(c->line());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->line(), c->line());
}

TEST(IceCandidate, Ipv6WithoutPrefix) {
  auto c = parse_candidate("2 1 udp 2122262783 2001:db8::1f 40000 typ host");
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_TRUE(c->endpoint.address().is_v6());
  EXPECT_EQ(c->endpoint.address().to_string(), "2001:db8::1f");
}

TEST(IceCandidate, FirefoxSrflxHiddenRelatedAddress) {
  // Browsers hide the base as 0.0.0.0 / an mDNS name: the candidate itself stays usable.
  auto c = parse_candidate("candidate:3 1 udp 1677729535 198.51.100.9 3478 typ srflx raddr 0.0.0.0 rport 0");
  ASSERT_TRUE(c);
  auto d = parse_candidate("candidate:3 1 udp 1677729535 198.51.100.9 3478 typ srflx raddr x.local rport 9");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->related);
}

TEST(IceCandidate, MdnsAndTcpAreUnsupported) {
  auto mdns = parse_candidate(
      "candidate:1 1 udp 2113937151 6f1e0a3c-7b5e-4f49-9d2c-1c1a4a1b2c3d.local 59000 typ host generation 0");
  ASSERT_FALSE(mdns);
  EXPECT_EQ(mdns.error().code, make_error_code(ice::errc::unsupported_candidate));
  auto tcp = parse_candidate("candidate:4 1 tcp 1518280447 192.168.1.20 9 typ host tcptype active");
  ASSERT_FALSE(tcp);
  EXPECT_EQ(tcp.error().code, make_error_code(ice::errc::unsupported_candidate));
}

TEST(IceCandidate, Malformed) {
  for (const char* bad : {"", "candidate:", "candidate:1 1 udp 1 1.2.3.4 5 host", "candidate:1 0 udp 1 1.2.3.4 5 typ host",
                          "candidate:1 1 udp x 1.2.3.4 5 typ host", "candidate:1 1 udp 1 1.2.3.4 70000 typ host",
                          "candidate:1 1 udp 1 1.2.3.4 5 typ bogus", "candidate:1 1 sctp 1 1.2.3.4 5 typ host",
                          "candidate:1 1 udp 1 1.2.3.4 5 typ host raddr 1.2.3.4 rport 99999",
                          "candidate:1 1 udp 1 [::1] 5 typ host", "candidate:f*o 1 udp 1 1.2.3.4 5 typ host"}) {
    auto c = parse_candidate(bad);
    EXPECT_FALSE(c) << bad;
    if (!c) {
      EXPECT_EQ(c.error().code, make_error_code(ice::errc::malformed_candidate)) << bad;
    }
  }
}

TEST(IceCandidate, HostPriority) {
  EXPECT_EQ(host_priority(), 2130706431u);  // 126 << 24 | 65535 << 8 | 255
  EXPECT_EQ(host_priority(65535, 2), 2130706430u);
  EXPECT_EQ(host_priority(0, 1), 126u << 24 | 255u);
}

TEST(IceCredentials, GeneratedAreIceCharsAndDiffer) {
  const auto a = IceCredentials::generate();
  const auto b = IceCredentials::generate();
  EXPECT_EQ(a.ufrag.size(), 8u);
  EXPECT_EQ(a.pwd.size(), 24u);
  EXPECT_TRUE(a.valid());
  EXPECT_NE(a.ufrag, b.ufrag);
  EXPECT_NE(a.pwd, b.pwd);
  EXPECT_EQ(a.dump().find(a.pwd), std::string::npos);
  EXPECT_FALSE((IceCredentials{"abc", "0123456789012345678901"}.valid()));  // ufrag too short
  EXPECT_FALSE((IceCredentials{"abcd", "0123456789-12345678901"}.valid()));  // '-' is no ice-char
}

TEST(IceCredentials, HmacSha1Rfc2202) {
  // RFC 2202 test case 2: key "Jefe".
  const std::string data = "what do ya want for nothing?";
  const auto mac = hmac_sha1("Jefe", std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
  const std::array<std::uint8_t, 20> want{0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2, 0xd2, 0x74,
                                          0x16, 0xd5, 0xf1, 0x84, 0xdf, 0x9c, 0x25, 0x9a, 0x7c, 0x79};
  EXPECT_EQ(mac, want);
}

}  // namespace
}  // namespace portier::webrtc
