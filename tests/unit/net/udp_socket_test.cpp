#include "net/udp_socket.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace portier::net
