#include "sdp/offer_answer.hpp"

#include "sdp/sdp_error.hpp"

namespace portier::sdp {
namespace {

bool sends(Direction d) { return d == Direction::sendrecv || d == Direction::sendonly; }
bool receives(Direction d) { return d == Direction::sendrecv || d == Direction::recvonly; }

Direction from_bits(bool send, bool recv) {
  if (send && recv) return Direction::sendrecv;
  if (send) return Direction::sendonly;
  if (recv) return Direction::recvonly;
  return Direction::inactive;
}

bool is_plain_rtp(const MediaDescription& m) { return m.proto == "RTP/AVP" || m.proto == "RTP/AVPF"; }

Connection local_connection(const LocalMedia& local) {
  const bool v6 = local.address.find(':') != std::string::npos;
  return Connection{"IN", v6 ? "IP6" : "IP4", local.address};
}

SessionDescription local_session(const LocalMedia& local) {
  SessionDescription s;
  s.origin = Origin{local.username, local.session_id, local.session_version, local_connection(local)};
  s.session_name = local.session_name;
  s.connection = local_connection(local);
  s.timings = {"0 0"};
  return s;
}

void add_codec_lines(MediaDescription& m, const Codec& c) {
  m.formats.push_back(std::to_string(c.payload_type));
  std::string map = std::to_string(c.payload_type) + " " + c.name + "/" + std::to_string(c.clock_rate);
  if (c.channels != 1) map += "/" + std::to_string(c.channels);
  m.attributes.add("rtpmap", std::move(map));
  if (!c.fmtp.empty()) m.attributes.add("fmtp", std::to_string(c.payload_type) + " " + c.fmtp);
}

void add_stream_attributes(MediaDescription& m, const LocalMedia& local) {
  m.attributes.add("ptime", std::to_string(local.ptime));
  m.attributes.add("rtcp", std::to_string(local.port + 1));
  m.attributes.set_direction(local.direction);
}

struct Agreed {
  std::vector<Codec> codecs;
  std::optional<Codec> telephone_event;
};

// Common codecs of stream `m`, in our priority order; `m`'s payload type numbers are used.
Agreed agree(const MediaDescription& m, const std::vector<CodecPreference>& prefs) {
  Agreed a;
  const auto offered = m.payload_types();
  for (const auto& pref : ordered(prefs)) {
    for (int pt : offered) {
      auto c = match(m, pt, pref);
      if (!c) continue;
      if (c->is_telephone_event()) {
        if (!a.telephone_event) a.telephone_event = std::move(*c);
      } else {
        a.codecs.push_back(std::move(*c));
      }
      break;
    }
  }
  // telephone-event must run at the audio codec's clock rate (RFC 4733 §2.1).
  if (a.telephone_event && (a.codecs.empty() || a.telephone_event->clock_rate != a.codecs.front().clock_rate)) {
    a.telephone_event.reset();
  }
  return a;
}

Result<NegotiatedMedia> describe_remote(const SessionDescription& sdp, std::size_t index, const LocalMedia& local) {
  const auto& m = sdp.media[index];
  const Connection* c = sdp.connection_for(m);
  if (!c) return Error(errc::malformed, "m= line " + std::to_string(index + 1) + " has no c= line");
  NegotiatedMedia n;
  n.media_index = index;
  n.remote_address = c->address.substr(0, c->address.find('/'));
  n.remote_rtp_port = m.port;
  n.rtcp_mux = m.rtcp_mux();
  n.remote_rtcp_address = n.remote_address;
  n.remote_rtcp_port = n.rtcp_mux ? m.port : static_cast<std::uint16_t>(m.port + 1);
  if (auto r = m.rtcp(); r && !n.rtcp_mux) {
    n.remote_rtcp_port = r->port;
    if (r->connection) n.remote_rtcp_address = r->connection->address;
  }
  n.ptime = m.ptime().value_or(local.ptime);
  const Direction remote = sdp.direction_for(m);
  n.remote_hold = !receives(remote) || c->is_hold_address();
  n.direction = intersect(reverse(remote), local.direction);
  if (c->is_hold_address()) n.direction = intersect(n.direction, Direction::recvonly);
  return n;
}

}  // namespace

Direction reverse(Direction d) { return from_bits(receives(d), sends(d)); }

Direction intersect(Direction a, Direction b) { return from_bits(sends(a) && sends(b), receives(a) && receives(b)); }

std::string NegotiatedMedia::dump() const {
  std::string out = "Media{remote=" + remote_address + ":" + std::to_string(remote_rtp_port) +
                    " rtcp=" + remote_rtcp_address + ":" + std::to_string(remote_rtcp_port) + " codec=" + codec.name +
                    "/" + std::to_string(codec.payload_type);
  if (telephone_event) out += " te=" + std::to_string(telephone_event->payload_type);
  out += " ptime=" + std::to_string(ptime) + " " + std::string(to_string(direction));
  if (remote_hold) out += " remote-hold";
  return out + "}";
}

SessionDescription create_offer(const LocalMedia& local) {
  auto s = local_session(local);
  MediaDescription m;
  m.media = "audio";
  m.port = local.port;
  m.proto = "RTP/AVP";
  for (const auto& p : ordered(local.codecs)) {
    add_codec_lines(m, Codec{p.name, p.payload_type, p.clock_rate, p.channels, p.fmtp});
  }
  add_stream_attributes(m, local);
  s.media.push_back(std::move(m));
  return s;
}

Result<Answer> create_answer(const SessionDescription& offer, const LocalMedia& local) {
  std::optional<std::size_t> chosen;
  Agreed agreed;
  bool saw_audio = false;
  for (std::size_t i = 0; i < offer.media.size() && !chosen; ++i) {
    const auto& m = offer.media[i];
    if (m.media != "audio" || m.port == 0 || !is_plain_rtp(m)) continue;
    saw_audio = true;
    agreed = agree(m, local.codecs);
    if (!agreed.codecs.empty()) chosen = i;
  }
  if (!chosen) {
    if (saw_audio) return Error(errc::no_common_codec, "no offered audio codec is enabled here");
    return Error(errc::unsupported, "no RTP/AVP audio stream in the offer");
  }
  auto remote = describe_remote(offer, *chosen, local);
  if (!remote) return remote.error();
  NegotiatedMedia media = std::move(*remote);
  if (local.single_codec_answer) agreed.codecs.resize(1);
  media.codec = agreed.codecs.front();
  media.codecs = agreed.codecs;
  media.telephone_event = agreed.telephone_event;

  Answer answer{local_session(local), std::move(media)};
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    const auto& om = offer.media[i];
    MediaDescription m;
    m.media = om.media;
    m.proto = om.proto;
    if (i != *chosen) {
      // Rejected stream (RFC 3264 §6): port 0, at least one format.
      m.port = 0;
      m.formats = om.formats.empty() ? std::vector<std::string>{"0"} : std::vector<std::string>{om.formats.front()};
      answer.sdp.media.push_back(std::move(m));
      continue;
    }
    m.port = local.port;
    for (const auto& c : answer.media.codecs) add_codec_lines(m, c);
    if (const auto& te = answer.media.telephone_event) add_codec_lines(m, *te);
    LocalMedia stream = local;
    stream.direction = answer.media.direction;
    add_stream_attributes(m, stream);
    answer.sdp.media.push_back(std::move(m));
  }
  return answer;
}

Result<NegotiatedMedia> accept_answer(const SessionDescription& offer, const SessionDescription& answer,
                                      const LocalMedia& local) {
  if (answer.media.size() != offer.media.size()) {
    return Error(errc::malformed, "answer has " + std::to_string(answer.media.size()) + " m= lines, offer had " +
                                      std::to_string(offer.media.size()));
  }
  for (std::size_t i = 0; i < answer.media.size(); ++i) {
    const auto& m = answer.media[i];
    if (m.media != "audio" || m.port == 0 || !is_plain_rtp(m)) continue;
    // The answer may list only a subset of what we offered; our priority decides among them.
    auto agreed = agree(m, local.codecs);
    if (agreed.codecs.empty()) return Error(errc::no_common_codec, "the answer accepts none of our codecs");
    auto n = describe_remote(answer, i, local);
    if (!n) return n.error();
    n->codec = agreed.codecs.front();
    n->codecs = std::move(agreed.codecs);
    n->telephone_event = std::move(agreed.telephone_event);
    return n;
  }
  return Error(errc::unsupported, "the answer rejected the audio stream");
}

}  // namespace portier::sdp
