#include "sip/txn/transport_layer.hpp"

#include <gtest/gtest.h>

namespace portier::sip::txn {
namespace {

TEST(ParseListen, Forms) {
  auto a = parse_listen("udp:127.0.0.1:5070");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->protocol, Protocol::udp);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 5070);
  auto b = parse_listen("tls:[::1]");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->port, 5061);
  EXPECT_EQ(b->to_string(), "tls:[::1]:5061");
  for (const char* bad : {"", "udp", "sctp:1.2.3.4:5060", "udp:example.com:5060", "tcp:1.2.3.4:99999",
                          "udp:[::1", "tcp:1.2.3.4:x"}) {
    EXPECT_FALSE(parse_listen(bad)) << bad;
  }
}

TEST(AddressText, MatchesAsio) {
  for (const char* a : {"0.0.0.0", "127.0.0.1", "10.9.99.100", "192.168.255.1", "255.255.255.255", "1.20.200.9",
                        "::1", "fe80::1", "::ffff:10.0.0.1"}) {
    const auto address = boost::asio::ip::make_address(a);
    EXPECT_EQ(address_text(address), address.to_string()) << a;
  }
}

}  // namespace
}  // namespace portier::sip::txn
