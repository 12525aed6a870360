// RtpSocket and RtpPoller on real loopback sockets: batched receive keeps arrival order across batches, one
// wake-up serves every ready socket, sockets closed mid-batch (their own or another's) are not called again, nor is
// a newcomer in a freed slot, an oversize datagram is dropped and counted, and an io_context with no armed socket runs out of work.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <thread>
#include <memory>
#include <vector>

#include "media/rtp_poller.hpp"
#include "media/rtp_socket.hpp"
#include "unit/media/loopback_peer.hpp"

namespace portier::media {
namespace {

using test::kLoopback;
using test::Peer;
using namespace std::chrono_literals;

// Records each datagram's first byte; `on_datagram` runs after recording (to close sockets from inside a batch).
struct Recorder : RtpSocket::Listener {
  void on_rtp_socket_datagram(RtpSocket& socket, std::span<std::uint8_t> data, const Endpoint& from) override {
    seen.push_back(data.empty() ? -1 : data[0]);
    sizes.push_back(data.size());
    last_from = from;
    if (on_datagram) on_datagram(socket);
  }
  std::vector<int> seen;
  std::vector<std::size_t> sizes;
  Endpoint last_from;
  std::function<void(RtpSocket&)> on_datagram;
};

std::shared_ptr<RtpSocket> open_socket(RtpPoller& poller) {
  auto s = RtpSocket::open(poller, Endpoint(kLoopback, 0));
  EXPECT_TRUE(s) << s.error().what();
  return s ? *s : nullptr;
}

void send_numbered(Peer& peer, std::uint16_t port, int count, std::size_t size = 172) {
  for (int i = 0; i < count; ++i) {
    std::vector<std::uint8_t> d(size, 0);
    d[0] = static_cast<std::uint8_t>(i);
    peer.send(d, port);
  }
}

// Runs `io` until `done` or a second passes.
template <class F>
void run_until(boost::asio::io_context& io, F done) {
  const auto end = std::chrono::steady_clock::now() + 1s;
  while (!done() && std::chrono::steady_clock::now() < end) io.run_for(1ms);
}

TEST(RtpSocket, BurstLargerThanABatchArrivesInOrder) {
  boost::asio::io_context io;
  RtpPoller poller(io);
  auto s = open_socket(poller);
  ASSERT_TRUE(s);
  Peer peer(io);
  constexpr int kCount = 100;  // more than three batches; queued before start()
  send_numbered(peer, s->port(), kCount);
  Recorder rec;
  s->start(rec);
  run_until(io, [&] { return rec.seen.size() >= kCount; });
  ASSERT_EQ(rec.seen.size(), static_cast<std::size_t>(kCount));
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(rec.seen[static_cast<std::size_t>(i)], i);
  EXPECT_EQ(rec.sizes[0], 172u);
  EXPECT_EQ(rec.last_from, peer.endpoint());
  // ceil(100 / 32) reads: the level-triggered set reports the socket again while datagrams remain.
  EXPECT_EQ(poller.socket_reads(), (kCount + RtpPoller::kBatch - 1) / RtpPoller::kBatch);
}

TEST(RtpSocket, OneWakeUpServesEveryReadySocket) {
  boost::asio::io_context io;
  RtpPoller poller(io);
  std::vector<std::shared_ptr<RtpSocket>> sockets;
  std::vector<Recorder> recs(3);
  Peer peer(io);
  for (int i = 0; i < 3; ++i) {
    sockets.push_back(open_socket(poller));
    ASSERT_TRUE(sockets.back());
    send_numbered(peer, sockets.back()->port(), 5);
  }
  for (int i = 0; i < 3; ++i) sockets[static_cast<std::size_t>(i)]->start(recs[static_cast<std::size_t>(i)]);
  std::this_thread::sleep_for(20ms);  // loopback delivery is synchronous; this only guards against a slow host
  EXPECT_EQ(io.run_one_for(1s), 1u);  // one asio completion
  EXPECT_EQ(poller.wakeups(), 1u);
  for (const auto& r : recs) EXPECT_EQ(r.seen, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(RtpSocket, ClosingItselfMidBatchStopsDelivery) {
  boost::asio::io_context io;
  RtpPoller poller(io);
  auto s = open_socket(poller);
  ASSERT_TRUE(s);
  Peer peer(io);
  send_numbered(peer, s->port(), 10);
  Recorder rec;
  rec.on_datagram = [&](RtpSocket& socket) {
    if (rec.seen.size() == 4) {
      socket.close();
      s.reset();  // the last owner goes from inside the callback; the poller keeps it alive until the batch ends
    }
  };
  s->start(rec);
  run_until(io, [&] { return rec.seen.size() >= 4; });
  io.run_for(20ms);
  EXPECT_EQ(rec.seen, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(poller.watched(), 0u);
}

TEST(RtpSocket, SocketClosedByAnotherInTheSameWakeUpIsSkipped) {
  boost::asio::io_context io;
  RtpPoller poller(io);
  auto a = open_socket(poller);
  auto b = open_socket(poller);
  ASSERT_TRUE(a && b);
  Peer peer(io);
  send_numbered(peer, a->port(), 3);
  send_numbered(peer, b->port(), 3);
  Recorder ra, rb;
  // Whichever socket the wake-up serves first closes and drops the other, whose event is already fetched.
  ra.on_datagram = [&](RtpSocket&) { b.reset(); };
  rb.on_datagram = [&](RtpSocket&) { a.reset(); };
  a->start(ra);
  b->start(rb);
  std::this_thread::sleep_for(20ms);
  io.run_one_for(1s);
  io.run_for(20ms);
  EXPECT_EQ(ra.seen.size() + rb.seen.size(), 3u);
  EXPECT_TRUE(ra.seen.empty() != rb.seen.empty());
  EXPECT_EQ(poller.watched(), 1u);
}

TEST(RtpSocket, StaleEventOfAReusedSlotIsNotDelivered) {
  boost::asio::io_context io;
  RtpPoller poller(io);
  auto a = open_socket(poller);
  auto b = open_socket(poller);
  ASSERT_TRUE(a && b);
  Peer peer(io);
  send_numbered(peer, a->port(), 1);
  send_numbered(peer, b->port(), 1);
  std::shared_ptr<RtpSocket> c;
  Recorder ra, rb;
  // The first socket served drops the other and opens a new one, which takes the freed slot: the dropped socket's
  // event, already fetched, must not reach the newcomer.
  ra.on_datagram = [&](RtpSocket&) { b.reset(), c = open_socket(poller); };
  rb.on_datagram = [&](RtpSocket&) { a.reset(), c = open_socket(poller); };
  a->start(ra);
  b->start(rb);
  std::this_thread::sleep_for(20ms);
  io.run_one_for(1s);
  EXPECT_EQ(poller.wakeups(), 1u);
  EXPECT_EQ(poller.socket_reads(), 1u);
  EXPECT_EQ(poller.watched(), 2u);
}

TEST(RtpSocket, OversizeDatagramIsDroppedAndCounted) {
  boost::asio::io_context io;
  RtpPoller poller(io);
  auto s = open_socket(poller);
  ASSERT_TRUE(s);
  Peer peer(io);
  std::vector<std::uint8_t> big(RtpPoller::kSlotSize + 1, 7), exact(RtpPoller::kSlotSize, 8), small(20, 9);
  peer.send(big, s->port());
  peer.send(exact, s->port());
  peer.send(small, s->port());
  Recorder rec;
  s->start(rec);
  run_until(io, [&] { return rec.seen.size() >= 2; });
  EXPECT_EQ(rec.seen, (std::vector<int>{8, 9}));
  EXPECT_EQ(rec.sizes, (std::vector<std::size_t>{RtpPoller::kSlotSize, 20}));
  EXPECT_EQ(s->oversize(), 1u);
}

TEST(RtpSocket, NoArmedSocketLeavesNoWork) {
  boost::asio::io_context io;
  RtpPoller poller(io);
  auto s = open_socket(poller);
  ASSERT_TRUE(s);
  const auto t0 = std::chrono::steady_clock::now();
  io.run_for(2s);  // opened but not started: nothing pending
  Recorder rec;
  s->start(rec);
  io.restart();
  io.run_for(5ms);
  s->close();
  io.restart();
  io.run_for(2s);  // the wait was cancelled with the last socket
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
}

TEST(RtpSocket, SendAfterCloseFailsAndIsCounted) {
  boost::asio::io_context io;
  RtpPoller poller(io);
  auto s = open_socket(poller);
  ASSERT_TRUE(s);
  Peer peer(io);
  const std::vector<std::uint8_t> d(12, 0);
  EXPECT_TRUE(s->send_to(d, peer.endpoint()));
  ASSERT_TRUE(peer.receive(io, 100ms));
  s->close();
  EXPECT_FALSE(s->send_to(d, peer.endpoint()));
  EXPECT_EQ(s->send_errors(), 1u);
}

TEST(RtpSocket, BindConflictIsAValue) {
  boost::asio::io_context io;
  RtpPoller poller(io);
  auto s = open_socket(poller);
  ASSERT_TRUE(s);
  auto again = RtpSocket::open(poller, Endpoint(kLoopback, s->port()));
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().what().find("bind"), std::string::npos);
  EXPECT_EQ(poller.watched(), 1u);
}

}  // namespace
}  // namespace portier::media
