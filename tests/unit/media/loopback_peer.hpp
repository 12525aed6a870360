#pragma once
// A fake phone for loopback tests of the relay and the conference room: one UDP socket on 127.0.0.1 that sends RTP
// and receives while running the io_context.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <chrono>
#include <optional>
#include <vector>

#include "media/rtp_socket.hpp"
#include "rtp/rtp_packet.hpp"

namespace portier::media::test {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using udp = asio::ip::udp;

inline const auto kLoopback = asio::ip::make_address("127.0.0.1");

// A fake phone: one UDP socket on an ephemeral loopback port.
class Peer {
 public:
  explicit Peer(asio::io_context& io, std::uint16_t port = 0) : socket_(io, udp::endpoint(kLoopback, port)) {
    socket_.non_blocking(true);
  }
  Endpoint endpoint() const { return socket_.local_endpoint(); }

  void send(const std::vector<std::uint8_t>& bytes, std::uint16_t relay_port) {
    socket_.send_to(asio::buffer(bytes), udp::endpoint(kLoopback, relay_port));
  }
  void send_rtp(std::uint16_t relay_port, std::uint16_t seq, std::uint32_t ts, std::uint32_t ssrc, std::uint8_t pt = 0,
                std::vector<std::uint8_t> payload = std::vector<std::uint8_t>(160, 0xff), bool marker = false) {
    std::vector<std::uint8_t> p(12);
    rtp::write_rtp_header(p, {marker, pt, seq, ts, ssrc});
    p.insert(p.end(), payload.begin(), payload.end());
    send(p, relay_port);
  }
  // Runs the io_context until a datagram arrives or `timeout` passes.
  std::optional<std::vector<std::uint8_t>> receive(asio::io_context& io, std::chrono::milliseconds timeout = 500ms) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    std::vector<std::uint8_t> buf(2048);
    do {  // at least one try, so that a zero timeout polls
      if (timeout.count() > 0) io.run_for(1ms);
      boost::system::error_code ec;
      udp::endpoint from;
      const auto n = socket_.receive_from(asio::buffer(buf), from, 0, ec);
      if (!ec) {
        buf.resize(n);
        return buf;
      }
    } while (std::chrono::steady_clock::now() < end);
    return std::nullopt;
  }
  // Everything that arrives within `window`.
  std::vector<std::vector<std::uint8_t>> drain(asio::io_context& io, std::chrono::milliseconds window) {
    std::vector<std::vector<std::uint8_t>> out;
    const auto end = std::chrono::steady_clock::now() + window;
    while (std::chrono::steady_clock::now() < end) {
      if (auto p = receive(io, 5ms)) out.push_back(std::move(*p));
    }
    return out;
  }

 private:
  udp::socket socket_;
};

}  // namespace portier::media::test
