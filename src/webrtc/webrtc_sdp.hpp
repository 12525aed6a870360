#pragma once
// The browser's SDP offer and our answer (JSEP, RFC 8829, as Chromium and Firefox write it). Pure: SDP text in,
// SDP text out, no sockets. Portier answers as an ICE-lite (RFC 8445 §2.5) DTLS server (a=setup:passive,
// RFC 5763) with rtcp-mux (RFC 5761), one audio stream, one codec (+ telephone-event, + CN on request) and its host
// candidates; every other m= line (video, data channel, a second audio) is rejected with port 0.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "sdp/codec.hpp"
#include "sdp/session_description.hpp"

namespace portier::webrtc {

// What the offer says about its audio stream and its ICE/DTLS transport.
struct WebRtcOffer {
  sdp::SessionDescription sdp;  // the parsed offer, kept to build the answer's m= lines in the same order
  std::size_t audio_index = 0;  // the audio m= line we take
  std::string mid;              // its a=mid ("" when the offer has none: old non-JSEP offerers)
  std::vector<std::string> bundle;  // a=group:BUNDLE mids, empty without BUNDLE
  std::string ice_ufrag;
  std::string ice_pwd;
  std::string fingerprint_algorithm;  // lower case: "sha-256"
  std::string fingerprint;            // "AB:CD:..." as written
  std::string setup = "actpass";      // actpass | active (passive is refused)
  std::vector<std::string> candidates;  // "candidate:..." values (without "a="), unparsed
  bool end_of_candidates = false;
  sdp::Direction direction = sdp::Direction::sendrecv;  // the offerer's direction for the audio stream
  std::string dump() const;
};

// Parses a browser offer and checks what we need. Errors (webrtc::errc, message says why): malformed_sdp,
// no_audio, no_ice_credentials, no_fingerprint, unsupported_transport, no_rtcp_mux, unsupported_setup.
Result<WebRtcOffer> parse_offer(std::string_view text);

// The codec choice for the audio stream: the offerer's payload numbers.
struct CodecChoice {
  sdp::Codec codec;                            // PCMU/8000, PCMA/8000 or opus/48000/2
  std::optional<sdp::Codec> telephone_event;   // at the codec's clock rate, when offered
  std::optional<sdp::Codec> comfort_noise;     // CN/8000, only with a G.711 codec and when asked for
  int ptime = 20;
  bool dtx = false;  // Opus: ask the browser for discontinuous transmission (usedtx=1; voice_activity_detection)
  std::string dump() const;
};

// The first of `preference` ("PCMU", "PCMA", "opus", case-insensitive) that the offer has. errc::no_common_codec.
Result<CodecChoice> choose_codec(const WebRtcOffer& offer, const std::vector<std::string>& preference,
                                 bool comfort_noise = false, int ptime = 20);

// Our side of the answer.
struct LocalDescription {
  std::string ice_ufrag;
  std::string ice_pwd;
  std::string fingerprint;                  // SHA-256, "AB:CD:..." (DtlsCertificate::fingerprint())
  std::string address;                      // c= and o= address: the first candidate's
  std::uint16_t port = 0;                   // the browser-facing UDP port
  std::vector<std::string> candidates;      // "candidate:..." values (IceCandidate::line())
  std::uint32_t ssrc = 0;                   // the SSRC we send with (a=ssrc cname/msid so browsers get a stream)
  std::string cname = "portier";
  std::string session_id = "1";
  std::string session_version = "1";
};

// The answer text (CRLF lines).
std::string build_answer(const WebRtcOffer& offer, const CodecChoice& choice, const LocalDescription& local);

}  // namespace portier::webrtc
