#pragma once
// A scripted SIP user agent on a blocking loopback UDP socket for the Intercom tests: sends requests, waits for a
// message that matches (skipping retransmissions and whatever else arrives), answers requests by echoing their
// Via/From/To/Call-ID/CSeq lines. Plain text on purpose: the tests see exactly what Portier sends.
#include <poll.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "base/strings.hpp"
#include "sip/msg/parser.hpp"

namespace portier::intercom::test {

namespace asio = boost::asio;
using asio::ip::udp;
namespace msg = sip::msg;

// A G.711 offer/answer with telephone-event, for RTP at `port`.
inline std::string sdp_body(std::uint16_t port, int pt = 0) {
  const std::string codec = pt == 0 ? "PCMU" : "PCMA";
  return "v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " +
         std::to_string(port) + " RTP/AVP " + std::to_string(pt) + " 101\r\na=rtpmap:" + std::to_string(pt) + " " +
         codec + "/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n";
}

class SipPeer {
 public:
  SipPeer() {
    socket_.open(udp::v4());
    socket_.bind(udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  }
  std::uint16_t port() const { return socket_.local_endpoint().port(); }
  udp::endpoint endpoint() const { return socket_.local_endpoint(); }
  std::string contact(const std::string& user) const {
    return "sip:" + user + "@127.0.0.1:" + std::to_string(port());
  }

  void send(const std::string& text, const udp::endpoint& to) { socket_.send_to(asio::buffer(text), to); }

  // The next message for which `match` is true, within `timeout`; its text ("" on timeout).
  std::string wait(const std::function<bool(const msg::Message&)>& match,
                   std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return {};
      pollfd p{socket_.native_handle(), POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) != 1) return {};
      std::string buf(65536, '\0');
      udp::endpoint from;
      buf.resize(socket_.receive_from(asio::buffer(buf), from));
      last_from_ = from;
      auto m = msg::parse_message(buf);
      if (m && match(*m)) return buf;
    }
  }
  std::string wait_request(std::string_view method, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    return wait([&](const msg::Message& m) { return m.is_request() && m.method() == method; }, timeout);
  }
  // A final (or the given) response to a request of `method`.
  std::string wait_response(std::string_view method, int status = 0) {
    return wait([&](const msg::Message& m) {
      if (m.is_request() || !m.cseq() || m.cseq()->method != method) return false;
      return status == 0 ? m.status() >= 200 : m.status() == status;
    });
  }
  const udp::endpoint& last_from() const { return last_from_; }
  // Every datagram that arrives within `period` (RTP for a media socket).
  std::vector<std::string> receive_for(std::chrono::milliseconds period) {
    std::vector<std::string> out;
    const auto deadline = std::chrono::steady_clock::now() + period;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{socket_.native_handle(), POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) != 1) return out;
      std::string buf(2048, '\0');
      udp::endpoint from;
      buf.resize(socket_.receive_from(asio::buffer(buf), from));
      out.push_back(std::move(buf));
    }
  }

  // A response to `request` (its text), with our To tag and Contact, and `body` as SDP when not empty.
  std::string response(const std::string& request, int status, const std::string& reason, const std::string& body = {},
                       const std::string& user = "peer") const {
    std::string out = "SIP/2.0 " + std::to_string(status) + " " + reason + "\r\n";
    for (const auto& line : header_lines(request)) {
      const auto name = to_lower(line.substr(0, line.find(':')));
      if (name == "via" || name == "v" || name == "from" || name == "f" || name == "call-id" || name == "i" ||
          name == "cseq") {
        out += line + "\r\n";
      } else if (name == "to" || name == "t") {
        out += line + (line.find(";tag=") == std::string::npos ? ";tag=peer" + std::to_string(port()) : "") + "\r\n";
      }
    }
    out += "Contact: <" + contact(user) + ">\r\n";
    if (!body.empty()) out += "Content-Type: application/sdp\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return out;
  }

  // Every header line of a message (no folding in what Portier sends).
  static std::vector<std::string> header_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = text.find("\r\n");
    while (pos != std::string::npos) {
      const auto next = text.find("\r\n", pos + 2);
      if (next == std::string::npos || next == pos + 2) break;
      out.push_back(text.substr(pos + 2, next - pos - 2));
      pos = next;
    }
    return out;
  }
  // The value of the first header `name` (full name, case-insensitive).
  static std::string header(const std::string& text, const std::string& name) {
    for (const auto& line : header_lines(text)) {
      const auto colon = line.find(':');
      if (colon != std::string::npos && to_lower(line.substr(0, colon)) == to_lower(name)) {
        auto v = line.substr(colon + 1);
        while (!v.empty() && v.front() == ' ') v.erase(0, 1);
        return v;
      }
    }
    return {};
  }

 private:
  asio::io_context io_;
  udp::socket socket_{io_};
  udp::endpoint last_from_;
};

}  // namespace portier::intercom::test
