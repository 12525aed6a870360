#pragma once
// Shared set-up of the transport and endpoint tests: an io_context with a MediaEngine on loopback, a SIP-side
// stand-in socket and run_until().
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "base/clock.hpp"
#include "media/media_engine.hpp"
#include "rtp/rtp_packet.hpp"
#include "webrtc/dtls/dtls_certificate.hpp"

namespace portier::webrtc::test {

namespace asio = boost::asio;

// The B2BUA relay's leg as the endpoint sees it: a plain UDP socket that records what arrives.
class SipPeer {
 public:
  explicit SipPeer(asio::io_context& io)
      : socket_(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        rtcp_(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    receive(socket_, rtp_, rtp_buf_);
    receive(rtcp_, rtcp_in_, rtcp_buf_);
  }
  asio::ip::udp::endpoint endpoint() const { return socket_.local_endpoint(); }
  asio::ip::udp::endpoint rtcp_endpoint() const { return rtcp_.local_endpoint(); }
  void send(const std::vector<std::uint8_t>& d, std::uint16_t port) {
    socket_.send_to(asio::buffer(d), asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  void send_rtcp(const std::vector<std::uint8_t>& d, std::uint16_t port) {
    rtcp_.send_to(asio::buffer(d), asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  const std::vector<std::vector<std::uint8_t>>& rtp() const { return rtp_; }
  const std::vector<std::vector<std::uint8_t>>& rtcp() const { return rtcp_in_; }

 private:
  using Buffer = std::array<std::uint8_t, 2048>;
  void receive(asio::ip::udp::socket& s, std::vector<std::vector<std::uint8_t>>& into, Buffer& buf) {
    s.async_receive(asio::buffer(buf), [this, &s, &into, &buf](const boost::system::error_code& ec, std::size_t n) {
      if (ec) return;
      into.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
      receive(s, into, buf);
    });
  }
  asio::ip::udp::socket socket_;
  asio::ip::udp::socket rtcp_;
  Buffer rtp_buf_{};
  Buffer rtcp_buf_{};
  std::vector<std::vector<std::uint8_t>> rtp_;
  std::vector<std::vector<std::uint8_t>> rtcp_in_;
};

inline std::vector<std::uint8_t> make_rtp(std::uint8_t pt, std::uint16_t seq, std::uint32_t ts, std::uint32_t ssrc,
                                          const std::vector<std::uint8_t>& payload, bool marker = false) {
  std::vector<std::uint8_t> out(rtp::kRtpHeaderSize + payload.size());
  rtp::write_rtp_header(out, rtp::RtpFields{marker, pt, seq, ts, ssrc});
  std::copy(payload.begin(), payload.end(), out.begin() + rtp::kRtpHeaderSize);
  return out;
}

class EngineFixture : public ::testing::Test {
 protected:
  EngineFixture() : engine_(io_, clock_, config()) {}
  static media::RtpConfig config() {
    media::RtpConfig c;
    c.bind_address = "127.0.0.1";
    c.port_min = 42000;
    c.port_max = 42999;
    return c;
  }
  // Runs the io_context until `done` or `timeout`; returns done().
  bool run_until(const std::function<bool()>& done,
                 std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (!done() && std::chrono::steady_clock::now() < end) {
      io_.run_for(std::chrono::milliseconds(5));
      if (io_.stopped()) io_.restart();
    }
    return done();
  }
  void run_for(std::chrono::milliseconds d) { run_until([] { return false; }, d); }

  static std::shared_ptr<DtlsCertificate> certificate() {
    static auto cert = *DtlsCertificate::generate();  // one per test binary, like one per process
    return cert;
  }

  asio::io_context io_;
  SystemClock clock_;
  media::MediaEngine engine_;
};

}  // namespace portier::webrtc::test
