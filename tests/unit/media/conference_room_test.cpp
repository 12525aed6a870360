// The conference room on loopback: three phones, two speaking different tones; each hears the others' tones and
// not its own.
#include <gtest/gtest.h>

#include <map>
#include <span>

#include "media/conference_room.hpp"
#include "media/g711.hpp"
#include "media/goertzel.hpp"
#include "media/media_error.hpp"
#include "media/tone_generator.hpp"
#include "unit/media/loopback_peer.hpp"

namespace portier::media {
namespace {

using test::Peer;
using namespace std::chrono_literals;

TEST(ConferenceRoom, EachHearsTheOthersNotThemselves) {
  boost::asio::io_context io;
  SystemClock clock;
  RtpConfig config;
  config.bind_address = "127.0.0.1";
  config.port_min = 45000;
  config.port_max = 45999;
  MediaEngine engine(io, clock, config);
  ConferenceRoom room(engine);
  std::map<std::uint32_t, std::uint16_t> ports;
  for (std::uint32_t id : {1u, 2u, 3u}) {
    auto port = room.add(id, id == 3 ? G711Law::alaw : G711Law::ulaw);
    ASSERT_TRUE(port) << port.error().what();
    ports[id] = *port;
  }
  EXPECT_FALSE(room.add(1, G711Law::ulaw));
  Peer p1(io), p2(io), p3(io);
  room.set_remote(1, p1.endpoint());
  room.set_remote(2, p2.endpoint());
  room.set_remote(3, p3.endpoint());
  room.start();

  const auto tone1 = make_tone(700, 0, 1000ms);
  const auto tone2 = make_tone(1300, 0, 1000ms);
  std::map<int, std::vector<std::int16_t>> heard;
  auto collect = [&](Peer& peer, int id, G711Law law) {
    while (auto pkt = peer.receive(io, 0ms)) {
      auto h = rtp::parse_rtp(*pkt);
      ASSERT_TRUE(h);
      std::vector<std::int16_t> pcm(h->payload.size());
      g711_decode(law, h->payload, pcm);
      heard[id].insert(heard[id].end(), pcm.begin(), pcm.end());
    }
  };
  for (std::uint16_t i = 0; i < 40; ++i) {
    std::vector<std::uint8_t> f1(160), f2(160), f3(160);
    g711_encode(G711Law::ulaw, std::span(tone1).subspan(i * 160u, 160), f1);
    g711_encode(G711Law::ulaw, std::span(tone2).subspan(i * 160u, 160), f2);
    std::vector<std::int16_t> silence(160, 0);
    g711_encode(G711Law::alaw, silence, f3);
    p1.send_rtp(ports[1], i, i * 160u, 11, 0, f1);
    p2.send_rtp(ports[2], i, i * 160u, 22, 0, f2);
    p3.send_rtp(ports[3], i, i * 160u, 33, 8, f3);
    io.run_for(20ms);
    collect(p1, 1, G711Law::ulaw);
    collect(p2, 2, G711Law::ulaw);
    collect(p3, 3, G711Law::alaw);
  }
  for (int id : {1, 2, 3}) ASSERT_GE(heard[id].size(), 20u * 160u) << id;
  // Analyse the middle of the call (after the pre-buffer, before the end).
  auto mid = [&](int id) { return std::span<const std::int16_t>(heard[id]).subspan(1600, 3200); };
  const Goertzel g700(700, 8000), g1300(1300, 8000);
  EXPECT_GT(g700.relative_power(mid(3)), 0.3);
  EXPECT_GT(g1300.relative_power(mid(3)), 0.3);
  EXPECT_LT(g700.relative_power(mid(1)), 0.05);  // not its own voice
  EXPECT_GT(g1300.relative_power(mid(1)), 0.8);
  EXPECT_GT(g700.relative_power(mid(2)), 0.8);
  EXPECT_LT(g1300.relative_power(mid(2)), 0.05);
  EXPECT_GT(room.stats(1)->rtp_in, 30u);
  EXPECT_GT(room.stats(3)->rtp_out, 30u);

  room.remove(2);
  EXPECT_EQ(room.size(), 2u);
  EXPECT_FALSE(room.stats(2));
}

TEST(ConferenceRoom, PortExhaustionIsAnError) {
  boost::asio::io_context io;
  SystemClock clock;
  RtpConfig config;
  config.bind_address = "127.0.0.1";
  config.port_min = 45900;
  config.port_max = 45901;  // one pair
  MediaEngine engine(io, clock, config);
  ConferenceRoom room(engine);
  ASSERT_TRUE(room.add(1, G711Law::ulaw));
  auto second = room.add(2, G711Law::ulaw);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, errc::port_range_exhausted);
  EXPECT_EQ(room.size(), 1u);
}

}  // namespace
}  // namespace portier::media
