#include "sdp/session_description.hpp"

#include <charconv>

#include "base/strings.hpp"

namespace portier::sdp {
namespace {

struct StaticType {
  int pt;
  const char* name;
  int rate;
  int channels;
};
// RFC 3551 §6, the static payload types a peer may use without an rtpmap.
constexpr StaticType kStaticTypes[] = {
    {0, "PCMU", 8000, 1},   {3, "GSM", 8000, 1},    {4, "G723", 8000, 1},   {5, "DVI4", 8000, 1},
    {6, "DVI4", 16000, 1},  {7, "LPC", 8000, 1},    {8, "PCMA", 8000, 1},   {9, "G722", 8000, 1},
    {10, "L16", 44100, 2},  {11, "L16", 44100, 1},  {12, "QCELP", 8000, 1}, {13, "CN", 8000, 1},
    {14, "MPA", 90000, 1},  {15, "G728", 8000, 1},  {16, "DVI4", 11025, 1}, {17, "DVI4", 22050, 1},
    {18, "G729", 8000, 1},  {25, "CelB", 90000, 1}, {26, "JPEG", 90000, 1}, {28, "nv", 90000, 1},
    {31, "H261", 90000, 1}, {32, "MPV", 90000, 1},  {33, "MP2T", 90000, 1}, {34, "H263", 90000, 1},
};

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// "101 0-16" -> payload type 101, rest "0-16".
std::optional<int> leading_pt(std::string_view value, std::string_view& rest) {
  const auto sp = value.find(' ');
  auto pt = to_int(value.substr(0, sp));
  rest = sp == std::string_view::npos ? std::string_view{} : trim(value.substr(sp + 1));
  return pt;
}

}  // namespace

std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::sendrecv:
      return "sendrecv";
    case Direction::sendonly:
      return "sendonly";
    case Direction::recvonly:
      return "recvonly";
    case Direction::inactive:
      return "inactive";
  }
  return "sendrecv";
}

std::optional<Direction> direction_from_string(std::string_view s) {
  if (s == "sendrecv") return Direction::sendrecv;
  if (s == "sendonly") return Direction::sendonly;
  if (s == "recvonly") return Direction::recvonly;
  if (s == "inactive") return Direction::inactive;
  return std::nullopt;
}

const Attribute* AttributeList::find(std::string_view name) const {
  for (const auto& a : items_) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::vector<std::string_view> AttributeList::values(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& a : items_) {
    if (a.name == name) out.emplace_back(a.value);
  }
  return out;
}

void AttributeList::add(std::string name, std::string value) {
  items_.push_back(Attribute{std::move(name), std::move(value), true});
}

void AttributeList::add_flag(std::string name) { items_.push_back(Attribute{std::move(name), {}, false}); }

void AttributeList::remove(std::string_view name) {
  std::erase_if(items_, [&](const Attribute& a) { return a.name == name; });
}

std::optional<Direction> AttributeList::direction() const {
  for (const auto& a : items_) {
    if (!a.has_value) {
      if (auto d = direction_from_string(a.name)) return d;
    }
  }
  return std::nullopt;
}

void AttributeList::set_direction(Direction d) {
  std::erase_if(items_, [](const Attribute& a) { return !a.has_value && direction_from_string(a.name); });
  add_flag(std::string(to_string(d)));
}

bool MediaDescription::is_rtp() const {
  return proto == "RTP/AVP" || proto == "RTP/AVPF" || proto == "RTP/SAVP" || proto == "RTP/SAVPF" ||
         proto == "UDP/TLS/RTP/SAVP" || proto == "UDP/TLS/RTP/SAVPF";
}

std::optional<RtpMap> MediaDescription::rtpmap(int payload_type) const {
  for (auto value : attributes.values("rtpmap")) {
    std::string_view rest;
    if (leading_pt(value, rest) != payload_type) continue;
    // encoding/clock[/channels]
    const auto parts = split(rest, '/');
    if (parts.size() < 2 || parts[0].empty()) return std::nullopt;
    auto rate = to_int(parts[1]);
    if (!rate || *rate <= 0) return std::nullopt;
    RtpMap m{payload_type, std::string(parts[0]), *rate, 1};
    if (parts.size() >= 3) {
      auto ch = to_int(parts[2]);
      if (!ch || *ch <= 0) return std::nullopt;
      m.channels = *ch;
    }
    return m;
  }
  for (const auto& s : kStaticTypes) {
    if (s.pt == payload_type) return RtpMap{s.pt, s.name, s.rate, s.channels};
  }
  return std::nullopt;
}

std::string_view MediaDescription::fmtp(int payload_type) const {
  for (auto value : attributes.values("fmtp")) {
    std::string_view rest;
    if (leading_pt(value, rest) == payload_type) return rest;
  }
  return {};
}

std::optional<int> MediaDescription::ptime() const {
  const auto* a = attributes.find("ptime");
  if (!a) return std::nullopt;
  // Some peers write fractional ptimes ("20.0"); the integer part is what matters.
  auto v = to_int(std::string_view(a->value).substr(0, a->value.find('.')));
  if (!v || *v <= 0 || *v > 1000) return std::nullopt;
  return v;
}

std::optional<RtcpAttribute> MediaDescription::rtcp() const {
  const auto* a = attributes.find("rtcp");
  if (!a) return std::nullopt;
  auto parts = split(a->value, ' ');
  std::erase_if(parts, [](std::string_view p) { return p.empty(); });
  if (parts.empty()) return std::nullopt;
  auto port = to_int(parts[0]);
  if (!port || *port <= 0 || *port > 65535) return std::nullopt;
  RtcpAttribute r{static_cast<std::uint16_t>(*port), std::nullopt};
  if (parts.size() >= 4) r.connection = Connection{std::string(parts[1]), std::string(parts[2]), std::string(parts[3])};
  return r;
}

std::vector<int> MediaDescription::payload_types() const {
  std::vector<int> out;
  for (const auto& f : formats) {
    auto v = to_int(f);
    if (v && *v >= 0 && *v <= 127) out.push_back(*v);
  }
  return out;
}

const Connection* SessionDescription::connection_for(const MediaDescription& m) const {
  if (m.connection) return &*m.connection;
  if (connection) return &*connection;
  return nullptr;
}

Direction SessionDescription::direction_for(const MediaDescription& m) const {
  if (auto d = m.attributes.direction()) return *d;
  if (auto d = attributes.direction()) return *d;
  return Direction::sendrecv;
}

std::string SessionDescription::dump() const {
  std::string out = "Sdp{o=" + origin.session_id + "/" + origin.session_version;
  if (connection) out += " c=" + connection->address;
  for (const auto& m : media) {
    out += " m=" + m.media + ":" + std::to_string(m.port) + "/" + m.proto + "[";
    for (std::size_t i = 0; i < m.formats.size(); ++i) out += (i ? "," : "") + m.formats[i];
    out += "]";
    out += std::string(" ") + std::string(to_string(direction_for(m)));
  }
  return out + "}";
}

}  // namespace portier::sdp
