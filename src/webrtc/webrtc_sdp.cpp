#include "webrtc/webrtc_sdp.hpp"

#include <array>
#include <cctype>

#include "base/strings.hpp"
#include "sdp/offer_answer.hpp"
#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"
#include "webrtc/webrtc_error.hpp"

namespace portier::webrtc {
namespace {

// Media-level attribute, else the session-level one (JSEP allows both for ICE and DTLS attributes).
const sdp::Attribute* find_attr(const sdp::SessionDescription& s, const sdp::MediaDescription& m,
                                std::string_view name) {
  if (const auto* a = m.attributes.find(name)) return a;
  return s.attributes.find(name);
}

// RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/".
bool ice_chars(std::string_view s, std::size_t min, std::size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return false;
  }
  return true;
}

// "AB:CD:..." with `bytes` pairs of hex digits.
bool hex_pairs(std::string_view v, std::size_t bytes) {
  if (v.size() != bytes * 3 - 1) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i % 3 == 2) {
      if (v[i] != ':') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(v[i]))) {
      return false;
    }
  }
  return true;
}

std::size_t digest_size(std::string_view algorithm) {
  static constexpr std::array<std::pair<std::string_view, std::size_t>, 5> kSizes{
      {{"sha-1", 20}, {"sha-224", 28}, {"sha-256", 32}, {"sha-384", 48}, {"sha-512", 64}}};
  for (const auto& [name, size] : kSizes) {
    if (name == algorithm) return size;
  }
  return 0;
}

// The first a=fingerprint (media level first) with a hash we know; sha-256 preferred when several are given.
Status read_fingerprint(const sdp::SessionDescription& s, const sdp::MediaDescription& m, WebRtcOffer& out) {
  auto values = m.attributes.values("fingerprint");
  if (values.empty()) values = s.attributes.values("fingerprint");
  if (values.empty()) return Error(errc::no_fingerprint, "the offer has no a=fingerprint");
  for (auto v : values) {
    const auto space = v.find(' ');
    if (space == std::string_view::npos) continue;
    auto algorithm = to_lower(trim(v.substr(0, space)));
    auto value = trim(v.substr(space + 1));
    const auto size = digest_size(algorithm);
    if (size == 0 || !hex_pairs(value, size)) continue;
    if (out.fingerprint.empty() || algorithm == "sha-256") {
      out.fingerprint_algorithm = std::move(algorithm);
      out.fingerprint = std::string(value);
    }
  }
  if (out.fingerprint.empty()) return Error(errc::no_fingerprint, "no a=fingerprint with a known hash function");
  return {};
}

Status read_ice(const sdp::SessionDescription& s, const sdp::MediaDescription& m, WebRtcOffer& out) {
  const auto* ufrag = find_attr(s, m, "ice-ufrag");
  const auto* pwd = find_attr(s, m, "ice-pwd");
  if (!ufrag || !pwd) return Error(errc::no_ice_credentials, "the offer has no a=ice-ufrag/a=ice-pwd");
  if (!ice_chars(ufrag->value, 4, 256)) return Error(errc::no_ice_credentials, "invalid a=ice-ufrag");
  if (!ice_chars(pwd->value, 22, 256)) return Error(errc::no_ice_credentials, "invalid a=ice-pwd");
  out.ice_ufrag = ufrag->value;
  out.ice_pwd = pwd->value;
  for (auto c : m.attributes.values("candidate")) out.candidates.push_back("candidate:" + std::string(c));
  out.end_of_candidates = m.attributes.has("end-of-candidates") || s.attributes.has("end-of-candidates");
  return {};
}

Status read_setup(const sdp::SessionDescription& s, const sdp::MediaDescription& m, WebRtcOffer& out) {
  const auto* setup = find_attr(s, m, "setup");
  // RFC 4145 §4: no a=setup means active; RFC 5763 offerers always write actpass.
  out.setup = setup ? to_lower(trim(setup->value)) : "active";
  if (out.setup == "actpass" || out.setup == "active") return {};
  if (out.setup == "passive") {
    return Error(errc::unsupported_setup, "a=setup:passive offered: Portier is always the DTLS server (passive)");
  }
  return Error(errc::unsupported_setup, "unsupported a=setup:" + out.setup);
}

void read_bundle(const sdp::SessionDescription& s, WebRtcOffer& out) {
  for (auto group : s.attributes.values("group")) {
    auto words = split(group, ' ');
    if (words.empty() || words.front() != "BUNDLE") continue;
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (!words[i].empty()) out.bundle.emplace_back(words[i]);
    }
  }
}

std::optional<sdp::Codec> find_codec(const sdp::MediaDescription& m, std::string_view name, int clock_rate,
                                     int channels) {
  for (int pt : m.payload_types()) {
    sdp::CodecPreference pref{std::string(name), pt, clock_rate, channels, true, 0, ""};
    if (auto c = sdp::match(m, pt, pref)) return c;
  }
  return std::nullopt;
}

void add_codec(sdp::MediaDescription& m, const sdp::Codec& c, std::string_view fmtp) {
  m.formats.push_back(std::to_string(c.payload_type));
  std::string map = std::to_string(c.payload_type) + " " + c.name + "/" + std::to_string(c.clock_rate);
  if (c.channels != 1) map += "/" + std::to_string(c.channels);
  m.attributes.add("rtpmap", std::move(map));
  if (!fmtp.empty()) m.attributes.add("fmtp", std::to_string(c.payload_type) + " " + std::string(fmtp));
}

sdp::Connection connection_for(const std::string& address) {
  const bool v6 = address.find(':') != std::string::npos;
  return sdp::Connection{"IN", v6 ? "IP6" : "IP4", address};
}

// A rejected m= line (RFC 3264 §6, JSEP §5.3.1): port 0, the offered proto, one format, the mid kept.
sdp::MediaDescription rejected(const sdp::MediaDescription& offered) {
  sdp::MediaDescription m;
  m.media = offered.media;
  m.port = 0;
  m.proto = offered.proto;
  if (!offered.formats.empty()) m.formats.push_back(offered.formats.front());
  if (const auto* mid = offered.attributes.find("mid")) m.attributes.add("mid", mid->value);
  return m;
}

sdp::MediaDescription audio_answer(const WebRtcOffer& offer, const CodecChoice& choice,
                                   const LocalDescription& local) {
  sdp::MediaDescription m;
  m.media = "audio";
  m.port = local.port;
  m.proto = "UDP/TLS/RTP/SAVPF";
  m.connection = connection_for(local.address);
  auto& a = m.attributes;
  a.add("ice-ufrag", local.ice_ufrag);
  a.add("ice-pwd", local.ice_pwd);
  a.add("fingerprint", "sha-256 " + local.fingerprint);
  a.add("setup", "passive");
  if (!offer.mid.empty()) a.add("mid", offer.mid);
  const auto direction = sdp::reverse(offer.direction);
  a.set_direction(direction);
  a.add_flag("rtcp-mux");
  // Opus: we decode mono and do not use in-band FEC; telephone-event keeps the offered events (0-16 usually).
  const bool opus = iequals(choice.codec.name, "opus");
  const char* opus_fmtp = choice.dtx ? "minptime=10;useinbandfec=0;usedtx=1" : "minptime=10;useinbandfec=0";
  add_codec(m, choice.codec, opus ? opus_fmtp : "");
  if (choice.telephone_event) {
    add_codec(m, *choice.telephone_event,
              choice.telephone_event->fmtp.empty() ? "0-15" : std::string_view(choice.telephone_event->fmtp));
  }
  if (choice.comfort_noise) add_codec(m, *choice.comfort_noise, "");
  a.add("ptime", std::to_string(choice.ptime));
  if (direction == sdp::Direction::sendrecv || direction == sdp::Direction::sendonly) {
    a.add("msid", local.cname + " " + local.cname + "-audio");
    a.add("ssrc", std::to_string(local.ssrc) + " cname:" + local.cname);
    a.add("ssrc", std::to_string(local.ssrc) + " msid:" + local.cname + " " + local.cname + "-audio");
  }
  for (const auto& c : local.candidates) {
    std::string_view v = c;
    if (v.substr(0, 10) == "candidate:") v.remove_prefix(10);
    a.add("candidate", std::string(v));
  }
  a.add_flag("end-of-candidates");
  return m;
}

}  // namespace

Result<WebRtcOffer> parse_offer(std::string_view text) {
  auto parsed = sdp::parse(text);
  if (!parsed) return Error(errc::malformed_sdp, "malformed SDP offer: " + parsed.error().what());
  WebRtcOffer out;
  out.sdp = std::move(*parsed);
  const auto& s = out.sdp;
  std::optional<std::size_t> index;
  for (std::size_t i = 0; i < s.media.size(); ++i) {
    if (s.media[i].media == "audio" && s.media[i].port != 0) {
      index = i;
      break;
    }
  }
  if (!index) return Error(errc::no_audio, "the offer has no audio stream (microphone missing?)");
  out.audio_index = *index;
  const auto& m = s.media[*index];
  if (m.proto != "UDP/TLS/RTP/SAVPF") {
    return Error(errc::unsupported_transport, "audio transport is " + m.proto + ", not UDP/TLS/RTP/SAVPF");
  }
  if (auto st = read_ice(s, m, out); !st) return st.error();
  if (auto st = read_fingerprint(s, m, out); !st) return st.error();
  if (auto st = read_setup(s, m, out); !st) return st.error();
  if (!m.rtcp_mux()) return Error(errc::no_rtcp_mux, "the offer does not use a=rtcp-mux");
  if (const auto* mid = m.attributes.find("mid")) out.mid = mid->value;
  read_bundle(s, out);
  out.direction = s.direction_for(m);
  return out;
}

Result<CodecChoice> choose_codec(const WebRtcOffer& offer, const std::vector<std::string>& preference,
                                 bool comfort_noise, int ptime) {
  const auto& m = offer.sdp.media[offer.audio_index];
  CodecChoice choice;
  choice.ptime = ptime;
  bool found = false;
  for (const auto& name : preference) {
    std::optional<sdp::Codec> c;
    if (iequals(name, "PCMU") || iequals(name, "PCMA")) {
      c = find_codec(m, name, 8000, 1);
    } else if (iequals(name, "opus")) {
      c = find_codec(m, "opus", 48000, 2);
    }
    if (c) {
      choice.codec = std::move(*c);
      found = true;
      break;
    }
  }
  if (!found) {
    std::string wanted;
    for (const auto& n : preference) wanted += (wanted.empty() ? "" : ", ") + n;
    return Error(errc::no_common_codec, "the browser offers none of the configured codecs (" + wanted + ")");
  }
  choice.telephone_event = find_codec(m, "telephone-event", choice.codec.clock_rate, 1);
  if (comfort_noise && choice.codec.clock_rate == 8000) choice.comfort_noise = find_codec(m, "CN", 8000, 1);
  return choice;
}

std::string build_answer(const WebRtcOffer& offer, const CodecChoice& choice, const LocalDescription& local) {
  sdp::SessionDescription s;
  s.origin = sdp::Origin{"portier", local.session_id, local.session_version, connection_for(local.address)};
  s.session_name = "-";
  s.connection = connection_for(local.address);
  s.timings = {"0 0"};
  s.attributes.add_flag("ice-lite");
  // Only the audio stream is kept; rejected m= lines leave the bundle group (RFC 8843 §7.3.3).
  if (!offer.bundle.empty() && !offer.mid.empty()) s.attributes.add("group", "BUNDLE " + offer.mid);
  for (std::size_t i = 0; i < offer.sdp.media.size(); ++i) {
    if (i == offer.audio_index) {
      s.media.push_back(audio_answer(offer, choice, local));
    } else {
      s.media.push_back(rejected(offer.sdp.media[i]));
    }
  }
  return sdp::serialize(s);
}

std::string WebRtcOffer::dump() const {
  return "WebRtcOffer{audio=" + std::to_string(audio_index) + " mid=" + mid + " ufrag=" + ice_ufrag +
         " fp=" + fingerprint_algorithm + " setup=" + setup + " candidates=" + std::to_string(candidates.size()) +
         (end_of_candidates ? " eoc" : "") + " dir=" + std::string(sdp::to_string(direction)) + "}";
}

std::string CodecChoice::dump() const {
  std::string s = "CodecChoice{" + codec.name + "/" + std::to_string(codec.payload_type);
  if (telephone_event) s += " te/" + std::to_string(telephone_event->payload_type);
  if (comfort_noise) s += " cn/" + std::to_string(comfort_noise->payload_type);
  return s + " ptime=" + std::to_string(ptime) + "}";
}

}  // namespace portier::webrtc
