#include "net/udp_socket.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <boost/asio/io_context.hpp>

namespace portier::net {
namespace {

using boost::asio::ip::udp;

struct Echo : UdpSocket::Listener {
  std::vector<std::string> got;
  void on_udp_datagram(UdpSocket& socket, std::string_view data, const udp::endpoint& from) override {
    got.emplace_back(data);
    socket.send_to(std::string("echo:").append(data), from);
  }
};

TEST(UdpSocket, ReceivesBurstsAndAnswers) {
  asio::io_context io;
  Echo echo;
  auto server = UdpSocket::create(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0), echo);
  server->start();
  udp::socket client(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  for (int i = 0; i < 100; ++i) client.send_to(asio::buffer(std::string("m").append(std::to_string(i))), server->local_endpoint());
  io.run_for(std::chrono::milliseconds(200));
  ASSERT_EQ(echo.got.size(), 100u);
  EXPECT_EQ(echo.got[99], "m99");
  std::array<char, 64> buf{};
  udp::endpoint from;
  const auto n = client.receive_from(asio::buffer(buf), from);
  EXPECT_EQ(std::string(buf.data(), n), "echo:m0");
  server->stop();
  io.run_for(std::chrono::milliseconds(20));
  client.send_to(asio::buffer(std::string("late")), server->local_endpoint());
  io.run_for(std::chrono::milliseconds(50));
  EXPECT_EQ(echo.got.size(), 100u);  // no listener calls after stop()
}


// Answers every datagram with send_batched() (the SIP transport's path for responses).
struct BatchedEcho : UdpSocket::Listener {
  std::vector<std::string> got;
  bool immediate_after = false;  // also send "now:<data>" with send_to() right after the batched reply
  void on_udp_datagram(UdpSocket& socket, std::string_view data, const udp::endpoint& from) override {
    got.emplace_back(data);
    EXPECT_TRUE(socket.send_batched(std::string("echo:").append(data), from));
    if (immediate_after) socket.send_to(std::string("now:").append(data), from);
  }
};

udp::endpoint loopback() { return udp::endpoint(asio::ip::make_address("127.0.0.1"), 0); }

std::vector<std::string> receive_all(udp::socket& client, std::size_t count) {
  std::vector<std::string> out;
  std::array<char, 2048> buf{};
  udp::endpoint from;
  client.non_blocking(true);
  for (int spins = 0; out.size() < count && spins < 2000; ++spins) {
    boost::system::error_code ec;
    const auto n = client.receive_from(asio::buffer(buf), from, 0, ec);
    if (ec == asio::error::would_block) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    if (!ec) out.emplace_back(buf.data(), n);
  }
  return out;
}

// More datagrams queued than one wake-up may take (kMaxBurst), and none arriving afterwards: the socket must go
// on reading by itself, not wait for an edge that never comes. Replies leave in arrival order.
TEST(UdpSocket, DrainsMoreThanOneBurstAndKeepsReplyOrder) {
  asio::io_context io;
  BatchedEcho echo;
  auto server = UdpSocket::create(io, loopback(), echo);
  server->start();
  udp::socket client(io, loopback());
  constexpr int kCount = 3 * UdpSocket::kMaxBurst + 7;
  for (int i = 0; i < kCount; ++i)
    client.send_to(asio::buffer(std::string("m").append(std::to_string(i))), server->local_endpoint());
  io.run_for(std::chrono::milliseconds(200));
  ASSERT_EQ(echo.got.size(), static_cast<std::size_t>(kCount));
  const auto replies = receive_all(client, kCount);
  ASSERT_EQ(replies.size(), static_cast<std::size_t>(kCount));
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(replies[i], "echo:m" + std::to_string(i));
  const auto& stats = server->stats();
  EXPECT_EQ(stats.received, static_cast<std::uint64_t>(kCount));
  EXPECT_EQ(stats.sent, static_cast<std::uint64_t>(kCount));
  // Batched: far fewer system calls than datagrams each way.
  EXPECT_LT(stats.receive_calls, static_cast<std::uint64_t>(kCount) / 4);
  EXPECT_LT(stats.send_calls, static_cast<std::uint64_t>(kCount) / 4);
  server->stop();
}

// A send_to() after send_batched() flushes the queue first: the wire order is the order of the calls.
TEST(UdpSocket, ImmediateSendKeepsOrderWithQueuedReplies) {
  asio::io_context io;
  BatchedEcho echo;
  echo.immediate_after = true;
  auto server = UdpSocket::create(io, loopback(), echo);
  server->start();
  udp::socket client(io, loopback());
  for (int i = 0; i < 3; ++i) client.send_to(asio::buffer("x" + std::to_string(i)), server->local_endpoint());
  io.run_for(std::chrono::milliseconds(100));
  const auto replies = receive_all(client, 6);
  EXPECT_EQ(replies, (std::vector<std::string>{"echo:x0", "now:x0", "echo:x1", "now:x1", "echo:x2", "now:x2"}));
  server->stop();
}

// Outside a receive batch send_batched() is an ordinary send, and a failure is returned.
TEST(UdpSocket, SendBatchedOutsideABatchSendsAtOnce) {
  asio::io_context io;
  BatchedEcho echo;
  auto server = UdpSocket::create(io, loopback(), echo);
  server->start();
  udp::socket client(io, loopback());
  EXPECT_TRUE(server->send_batched("hello", client.local_endpoint()));
  EXPECT_EQ(receive_all(client, 1), std::vector<std::string>{"hello"});
  // An IPv6 destination from an IPv4 socket cannot be sent to.
  EXPECT_FALSE(server->send_batched("nope", udp::endpoint(asio::ip::make_address("::1"), 9)));
  EXPECT_EQ(server->stats().send_errors, 1u);
  server->stop();
}

// A reply that cannot be sent is counted without stopping the other replies of its batch.
TEST(UdpSocket, FailedBatchedReplyDoesNotStopTheOthers) {
  struct Mixed : UdpSocket::Listener {
    int n = 0;
    void on_udp_datagram(UdpSocket& socket, std::string_view data, const udp::endpoint& from) override {
      if (n++ == 1) socket.send_batched("bad", udp::endpoint(asio::ip::make_address("::1"), 9));
      socket.send_batched(std::string(data), from);
    }
  } mixed;
  asio::io_context io;
  auto server = UdpSocket::create(io, loopback(), mixed);
  server->start();
  udp::socket client(io, loopback());
  for (int i = 0; i < 4; ++i) client.send_to(asio::buffer("d" + std::to_string(i)), server->local_endpoint());
  io.run_for(std::chrono::milliseconds(100));
  EXPECT_EQ(receive_all(client, 4), (std::vector<std::string>{"d0", "d1", "d2", "d3"}));
  EXPECT_EQ(server->stats().send_errors, 1u);
  EXPECT_EQ(server->stats().sent, 4u);
  server->stop();
}

// ICMP errors (port unreachable after sending to a closed port) surface on the receive side; they concern that
// peer only, and the socket keeps receiving from everybody else.
TEST(UdpSocket, IcmpErrorsDoNotStopReceiving) {
  asio::io_context io;
  Echo echo;
  auto server = UdpSocket::create(io, loopback(), echo);
  server->start();
  udp::endpoint closed;
  {
    udp::socket gone(io, loopback());
    closed = gone.local_endpoint();
  }
  for (int i = 0; i < 3; ++i) server->send_to("to nobody", closed);
  io.run_for(std::chrono::milliseconds(20));
  udp::socket client(io, loopback());
  for (int i = 0; i < 5; ++i) client.send_to(asio::buffer("p" + std::to_string(i)), server->local_endpoint());
  io.run_for(std::chrono::milliseconds(100));
  ASSERT_EQ(echo.got.size(), 5u);
  EXPECT_EQ(echo.got[4], "p4");
  server->stop();
}

// Datagrams up to the largest UDP payload arrive whole, next to small ones in the same batch.
TEST(UdpSocket, LargeDatagramsArriveWhole) {
  asio::io_context io;
  Echo echo;
  auto server = UdpSocket::create(io, loopback(), echo);
  server->start();
  udp::socket client(io, loopback());
  client.set_option(asio::socket_base::send_buffer_size(1 << 20));
  const std::string big(65507, 'b');
  client.send_to(asio::buffer(std::string("small")), server->local_endpoint());
  client.send_to(asio::buffer(big), server->local_endpoint());
  client.send_to(asio::buffer(std::string("tail")), server->local_endpoint());
  io.run_for(std::chrono::milliseconds(100));
  ASSERT_EQ(echo.got.size(), 3u);
  EXPECT_EQ(echo.got[1], big);
  EXPECT_EQ(echo.got[2], "tail");
  server->stop();
}

}  // namespace
}  // namespace portier::net
