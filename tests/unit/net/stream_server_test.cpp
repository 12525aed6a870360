#include "net/stream_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace portier::net {
namespace {

using boost::asio::ip::tcp;

// Consumes complete lines, answers each with "ok\n", closes on "bye".
struct Lines : StreamServer::Listener {
  std::vector<std::string> got;
  int closed = 0;
  std::size_t on_stream_data(StreamServer& server, StreamConnection& conn, std::string_view buffered) override {
    const auto nl = buffered.find('\n');
    if (nl == std::string_view::npos) return 0;
    const auto line = std::string(buffered.substr(0, nl));
    if (line == "bye") return StreamConnection::kClose;
    got.push_back(line);
    server.send(conn.id(), "ok\n");
    return nl + 1;
  }
  void on_stream_closed(StreamServer&, StreamConnection&) override { ++closed; }
};

class StreamServerTest : public ::testing::Test {
 protected:
  asio::io_context io;
  Lines lines;
  std::shared_ptr<StreamServer> server;
  tcp::socket client{io};

  void start(StreamServer::Options options = {}) {
    server = StreamServer::create(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0), nullptr, options, lines);
    server->start();
    client.connect(server->local_endpoint());
  }
  void run() { io.run_for(std::chrono::milliseconds(100)); }
};

TEST_F(StreamServerTest, FramesAcrossWritesAndAnswers) {
  start();
  asio::write(client, asio::buffer(std::string("hel")));
  run();
  EXPECT_TRUE(lines.got.empty());
  asio::write(client, asio::buffer(std::string("lo\nworld\n")));
  run();
  ASSERT_EQ(lines.got.size(), 2u);
  EXPECT_EQ(lines.got[1], "world");
  EXPECT_EQ(server->connection_count(), 1u);
  EXPECT_NE(server->find(client.local_endpoint()), 0u);
  std::array<char, 6> buf{};
  asio::read(client, asio::buffer(buf));
  EXPECT_EQ(std::string(buf.data(), 6), "ok\nok\n");
}

TEST_F(StreamServerTest, ListenerCanCloseAndInputIsBounded) {
  StreamServer::Options o;
  o.limits.max_read_buffer = 1024;
  start(o);
  asio::write(client, asio::buffer(std::string("bye\n")));
  run();
  EXPECT_EQ(lines.closed, 1);
  EXPECT_EQ(server->connection_count(), 0u);
  tcp::socket second(io);
  second.connect(server->local_endpoint());
  asio::write(second, asio::buffer(std::string(4096, 'x')));  // no newline: never consumed
  run();
  EXPECT_EQ(lines.closed, 2);
}

TEST_F(StreamServerTest, IdleConnectionTimesOut) {
  StreamServer::Options o;
  o.limits.idle_timeout = std::chrono::seconds(1);
  start(o);
  run();
  EXPECT_EQ(server->connection_count(), 1u);
  io.run_for(std::chrono::milliseconds(1200));
  EXPECT_EQ(server->connection_count(), 0u);
}

}  // namespace
}  // namespace portier::net
