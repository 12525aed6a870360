#include "sdp/parser.hpp"

#include <charconv>
#include <string>

#include "base/strings.hpp"
#include "sdp/sdp_error.hpp"

namespace portier::sdp {
namespace {

// Position of each line type in the order RFC 4566 §5 prescribes, per level. A type may repeat (or be followed by
// a later one), never come after a type of a higher rank.
int session_rank(char t) {
  switch (t) {
    case 'v':
      return 0;
    case 'o':
      return 1;
    case 's':
      return 2;
    case 'i':
      return 3;
    case 'u':
      return 4;
    case 'e':
      return 5;
    case 'p':
      return 6;
    case 'c':
      return 7;
    case 'b':
      return 8;
    case 't':
      return 9;
    case 'r':
      return 9;  // r= lines follow their t=, interleaved
    case 'z':
      return 10;
    case 'k':
      return 11;
    case 'a':
      return 12;
    default:
      return -1;
  }
}

int media_rank(char t) {
  switch (t) {
    case 'i':
      return 1;
    case 'c':
      return 2;
    case 'b':
      return 3;
    case 'k':
      return 4;
    case 'a':
      return 5;
    default:
      return -1;
  }
}

Error malformed(std::size_t line, std::string_view why) {
  return Error(errc::malformed, "line " + std::to_string(line) + ": " + std::string(why));
}

std::vector<std::string_view> tokens(std::string_view s) {
  auto parts = split(s, ' ');
  std::erase_if(parts, [](std::string_view p) { return p.empty(); });
  return parts;
}

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Characters RFC 4566 allows in tokens (attribute names, media, proto elements).
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

Result<Connection> parse_connection(std::string_view value, std::size_t line) {
  const auto t = tokens(value);
  if (t.size() != 3) return malformed(line, "c= needs <nettype> <addrtype> <address>");
  if (t[0] != "IN") return malformed(line, "c= network type must be IN");
  if (t[1] != "IP4" && t[1] != "IP6") return malformed(line, "c= address type must be IP4 or IP6");
  if (!is_token(t[2])) return malformed(line, "c= address is empty or invalid");
  return Connection{std::string(t[0]), std::string(t[1]), std::string(t[2])};
}

Result<Origin> parse_origin(std::string_view value, std::size_t line) {
  const auto t = tokens(value);
  if (t.size() != 6) return malformed(line, "o= needs 6 fields");
  if (!is_digits(t[1]) || !is_digits(t[2])) return malformed(line, "o= session id and version must be numbers");
  if (t[3] != "IN" || (t[4] != "IP4" && t[4] != "IP6")) return malformed(line, "o= address must be IN IP4|IP6");
  return Origin{std::string(t[0]), std::string(t[1]), std::string(t[2]),
                Connection{std::string(t[3]), std::string(t[4]), std::string(t[5])}};
}

Result<MediaDescription> parse_media(std::string_view value, std::size_t line) {
  const auto t = tokens(value);
  if (t.size() < 4) return malformed(line, "m= needs <media> <port> <proto> <fmt>...");
  MediaDescription m;
  if (!is_token(t[0])) return malformed(line, "m= media type is invalid");
  m.media = std::string(t[0]);
  auto port_text = t[1];
  const auto slash = port_text.find('/');
  if (slash != std::string_view::npos) {
    const auto count = port_text.substr(slash + 1);
    int n = 0;
    if (!is_digits(count) || count.size() > 5 || (n = std::stoi(std::string(count))) <= 0) {
      return malformed(line, "m= port count is not a positive number");
    }
    m.port_count = n;
    port_text = port_text.substr(0, slash);
  }
  if (!is_digits(port_text) || port_text.size() > 5) return malformed(line, "m= port is not a number");
  const int port = std::stoi(std::string(port_text));
  if (port > 65535) return malformed(line, "m= port is out of range");
  m.port = static_cast<std::uint16_t>(port);
  if (!is_token(t[2])) return malformed(line, "m= proto is invalid");
  m.proto = std::string(t[2]);
  for (std::size_t i = 3; i < t.size(); ++i) m.formats.emplace_back(t[i]);
  if (m.is_rtp()) {
    for (const auto& f : m.formats) {
      if (!is_digits(f) || f.size() > 3 || std::stoi(f) > 127) {
        return malformed(line, "m= RTP format '" + f + "' is not a payload type 0..127");
      }
    }
  }
  return m;
}

Result<Attribute> parse_attribute(std::string_view value, std::size_t line) {
  const auto colon = value.find(':');
  Attribute a;
  const auto name = value.substr(0, colon);
  if (!is_token(name)) return malformed(line, "a= attribute name is empty or invalid");
  a.name = std::string(name);
  if (colon != std::string_view::npos) {
    a.value = std::string(value.substr(colon + 1));
    a.has_value = true;
  }
  // The attributes we interpret are checked here, so that a bad one is a clear 400 rather than ignored later.
  if (a.name == "rtpmap" || a.name == "fmtp") {
    const auto sp = a.value.find(' ');
    const auto pt = std::string_view(a.value).substr(0, sp);
    if (!is_digits(pt) || pt.size() > 3 || std::stoi(std::string(pt)) > 127 || sp == std::string::npos) {
      return malformed(line, "a=" + a.name + " needs <payload type> <value>");
    }
    if (a.name == "rtpmap") {
      const auto parts = split(trim(std::string_view(a.value).substr(sp + 1)), '/');
      if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || !is_digits(parts[1]) ||
          (parts.size() == 3 && !is_digits(parts[2]))) {
        return malformed(line, "a=rtpmap needs <pt> <encoding>/<clock rate>[/<channels>]");
      }
    }
  } else if (a.name == "ptime" || a.name == "maxptime") {
    if (!a.has_value || a.value.empty() || !(a.value[0] >= '0' && a.value[0] <= '9')) {
      return malformed(line, "a=" + a.name + " needs a number");
    }
  } else if (a.name == "rtcp") {
    const auto t = tokens(a.value);
    if (t.empty() || !is_digits(t[0]) || t[0].size() > 5 || std::stoi(std::string(t[0])) > 65535 ||
        (t.size() != 1 && t.size() != 4)) {
      return malformed(line, "a=rtcp needs <port> [<nettype> <addrtype> <address>]");
    }
  } else if (direction_from_string(a.name) && a.has_value) {
    return malformed(line, "a=" + a.name + " takes no value");
  }
  return a;
}

class Reader {
 public:
  Reader(std::string_view text, const Limits& limits) : text_(text), limits_(limits) {}

  Result<SessionDescription> run() {
    if (text_.size() > limits_.max_size)
      return Error(errc::too_large, "SDP larger than " + std::to_string(limits_.max_size) + " bytes");
    std::string_view rest = text_;
    while (!rest.empty()) {
      const auto nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      ++line_no_;
      if (line_no_ > limits_.max_lines)
        return Error(errc::too_large, "SDP has more than " + std::to_string(limits_.max_lines) + " lines");
      if (line.empty()) {
        // A blank line is only tolerated at the very end (some stacks add one).
        if (trim(rest).empty()) break;
        return malformed(line_no_, "empty line");
      }
      if (auto st = on_line(line); !st) return st.error();
    }
    if (line_no_ == 0) return malformed(1, "empty SDP");
    if (!seen_o_) return malformed(line_no_, "missing o= line");
    if (!seen_s_) return malformed(line_no_, "missing s= line");
    if (!seen_t_) return malformed(line_no_, "missing t= line");
    return std::move(sdp_);
  }

 private:
  Status on_line(std::string_view line) {
    if (line.size() < 2 || line[1] != '=') return malformed(line_no_, "expected <type>=<value>");
    const char type = line[0];
    const std::string_view value = line.substr(2);
    // Trailing white space is a common slip; leading white space after '=' is not allowed by the grammar but
    // harmless, so both are trimmed for the values we interpret.
    if (line_no_ == 1) {
      if (type != 'v' || trim(value) != "0") return malformed(1, "SDP must start with v=0");
      return {};
    }
    if (type == 'v') return malformed(line_no_, "v= repeated");
    if (type == 'm') return on_media(trim(value));
    if (in_media_) return on_media_line(type, value);
    return on_session_line(type, value);
  }

  Status on_session_line(char type, std::string_view value) {
    const int rank = session_rank(type);
    if (rank < 0) return malformed(line_no_, std::string("unknown line type '") + type + "'");
    if (rank < last_rank_) return malformed(line_no_, std::string(1, type) + "= is out of order");
    if ((type == 'o' || type == 's' || type == 'c') && rank == last_rank_) {
      return malformed(line_no_, std::string(1, type) + "= repeated");
    }
    last_rank_ = rank;
    switch (type) {
      case 'o': {
        auto o = parse_origin(trim(value), line_no_);
        if (!o) return o.error();
        sdp_.origin = std::move(*o);
        seen_o_ = true;
        return {};
      }
      case 's':
        if (value.empty()) return malformed(line_no_, "s= must not be empty (use \"s=-\")");
        sdp_.session_name = std::string(value);
        seen_s_ = true;
        return {};
      case 'c': {
        auto c = parse_connection(trim(value), line_no_);
        if (!c) return c.error();
        sdp_.connection = std::move(*c);
        return {};
      }
      case 'b':
        sdp_.bandwidths.emplace_back(trim(value));
        return {};
      case 't': {
        const auto t = tokens(value);
        if (t.size() != 2 || !is_digits(t[0]) || !is_digits(t[1]))
          return malformed(line_no_, "t= needs <start> <stop>");
        if (!seen_t_) sdp_.timings.clear();
        sdp_.timings.emplace_back(trim(value));
        seen_t_ = true;
        return {};
      }
      case 'a': {
        auto a = parse_attribute(trim(value), line_no_);
        if (!a) return a.error();
        sdp_.attributes.items().push_back(std::move(*a));
        return {};
      }
      default:
        if (type == 'r' && !seen_t_) return malformed(line_no_, "r= before t=");
        sdp_.fields.push_back(Field{type, std::string(value)});
        return {};
    }
  }

  Status on_media(std::string_view value) {
    if (!seen_o_ || !seen_s_ || !seen_t_) return malformed(line_no_, "m= before the o=, s= and t= lines");
    if (sdp_.media.size() >= limits_.max_media)
      return Error(errc::too_large, "more than " + std::to_string(limits_.max_media) + " m= lines");
    auto m = parse_media(value, line_no_);
    if (!m) return m.error();
    sdp_.media.push_back(std::move(*m));
    in_media_ = true;
    last_rank_ = 0;
    return {};
  }

  Status on_media_line(char type, std::string_view value) {
    const int rank = media_rank(type);
    if (rank < 0) return malformed(line_no_, std::string(1, type) + "= is not allowed in a media section");
    if (rank < last_rank_) return malformed(line_no_, std::string(1, type) + "= is out of order");
    if (type == 'c' && rank == last_rank_) return malformed(line_no_, "c= repeated in a media section");
    last_rank_ = rank;
    auto& m = sdp_.media.back();
    switch (type) {
      case 'c': {
        auto c = parse_connection(trim(value), line_no_);
        if (!c) return c.error();
        m.connection = std::move(*c);
        return {};
      }
      case 'b':
        m.bandwidths.emplace_back(trim(value));
        return {};
      case 'a': {
        auto a = parse_attribute(trim(value), line_no_);
        if (!a) return a.error();
        m.attributes.items().push_back(std::move(*a));
        return {};
      }
      default:
        m.fields.push_back(Field{type, std::string(value)});
        return {};
    }
  }

  std::string_view text_;
  const Limits& limits_;
  SessionDescription sdp_;
  std::size_t line_no_ = 0;
  int last_rank_ = 0;
  bool in_media_ = false;
  bool seen_o_ = false;
  bool seen_s_ = false;
  bool seen_t_ = false;
};

}  // namespace

Result<SessionDescription> parse(std::string_view text, const Limits& limits) { return Reader(text, limits).run(); }

}  // namespace portier::sdp
