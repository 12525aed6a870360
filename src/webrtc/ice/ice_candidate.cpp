#include "webrtc/ice/ice_candidate.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "base/strings.hpp"
#include "webrtc/ice/ice_credentials.hpp"
#include "webrtc/ice/ice_error.hpp"

namespace portier::webrtc {
namespace {

using ice::errc;

std::vector<std::string_view> split_spaces(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size() && out.size() < 64) {  // a real line has < 20 tokens; bound the work on garbage
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

template <class T>
bool to_number(std::string_view s, T& out) {
  if (s.empty() || s.size() > 10) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// An IP literal, or errc::unsupported_candidate for a host name (mDNS "<uuid>.local" from browsers included).
Result<boost::asio::ip::address> parse_address(std::string_view text) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(std::string(text), ec);
  if (!ec) return a;
  const bool hostname = std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
  if (hostname && !text.empty()) return Error(errc::unsupported_candidate, "host name candidate (mDNS?)");
  return Error(errc::malformed_candidate, "bad connection address");
}

Result<std::uint16_t> parse_port(std::string_view text) {
  unsigned port = 0;
  if (!to_number(text, port) || port > 65535) return Error(errc::malformed_candidate, "bad port");
  return static_cast<std::uint16_t>(port);
}

}  // namespace

Result<IceCandidate> parse_candidate(std::string_view text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  if (text.substr(0, 2) == "a=") text.remove_prefix(2);
  if (text.substr(0, 10) == "candidate:") text.remove_prefix(10);
  const auto t = split_spaces(text);
  if (t.size() < 8 || t[6] != "typ") return Error(errc::malformed_candidate, "too few fields");

  IceCandidate c;
  if (t[0].size() > 32 || !std::all_of(t[0].begin(), t[0].end(), is_ice_char))
    return Error(errc::malformed_candidate, "bad foundation");
  c.foundation = std::string(t[0]);
  if (!to_number(t[1], c.component) || c.component < 1 || c.component > 256)
    return Error(errc::malformed_candidate, "bad component");
  c.transport = to_lower(t[2]);
  if (!to_number(t[3], c.priority) || c.priority == 0) return Error(errc::malformed_candidate, "bad priority");
  auto address = parse_address(t[4]);
  if (!address) return address.error();
  auto port = parse_port(t[5]);
  if (!port) return port.error();
  c.endpoint = {*address, *port};
  c.type = to_lower(t[7]);
  if (c.type != "host" && c.type != "srflx" && c.type != "prflx" && c.type != "relay")
    return Error(errc::malformed_candidate, "unknown candidate type");

  // Extension pairs: only raddr/rport are kept.
  std::optional<boost::asio::ip::address> raddr;
  std::optional<std::uint16_t> rport;
  for (std::size_t i = 8; i + 1 < t.size(); i += 2) {
    if (t[i] == "raddr") {
      auto a = parse_address(t[i + 1]);
      if (a) raddr = *a;  // browsers hide it as "0.0.0.0" or an mDNS name: not an error
    } else if (t[i] == "rport") {
      auto p = parse_port(t[i + 1]);
      if (!p) return p.error();
      rport = *p;
    }
  }
  if (raddr && rport) c.related = boost::asio::ip::udp::endpoint(*raddr, *rport);
  if (c.transport != "udp") {
    if (c.transport == "tcp") return Error(errc::unsupported_candidate, "TCP candidate");
    return Error(errc::malformed_candidate, "unknown transport");
  }
  return c;
}

std::string IceCandidate::line() const {
  std::string s = "candidate:" + foundation + ' ' + std::to_string(component) + ' ' + transport + ' ' +
                  std::to_string(priority) + ' ' + endpoint.address().to_string() + ' ' +
                  std::to_string(endpoint.port()) + " typ " + type;
  if (related)
    s += " raddr " + related->address().to_string() + " rport " + std::to_string(related->port());
  return s;
}

std::uint32_t host_priority(int local_preference, int component) {
  local_preference = std::clamp(local_preference, 0, 65535);
  component = std::clamp(component, 1, 256);
  return (126u << 24) + (static_cast<std::uint32_t>(local_preference) << 8) +
         static_cast<std::uint32_t>(256 - component);
}

}  // namespace portier::webrtc
