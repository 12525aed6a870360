#pragma once
// RFC 3264 offer/answer for one audio stream. The SIP layer calls:
//   - create_offer(local)                      -> the SDP for an INVITE (or a re-INVITE for hold: direction)
//   - create_answer(offer, local)              -> the SDP for a 200 OK and what was agreed
//   - accept_answer(offer, answer, local)      -> what was agreed, from the peer's answer to our offer
// Errors: errc::malformed (400), errc::no_common_codec (488), errc::unsupported (488), each with a reason.
// Only plain RTP (RTP/AVP, RTP/AVPF) audio is accepted; other streams are answered with port 0 as RFC 3264 §6
// requires, so that a video or SRTP offer from a phone still gets its audio answered.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "sdp/codec.hpp"
#include "sdp/session_description.hpp"

namespace portier::sdp {

// Our side of a stream: where our relay leg listens and what we accept.
struct LocalMedia {
  std::string address;     // relay address announced in c= and o= ("IP6" when it contains ':')
  std::uint16_t port = 0;  // RTP port (even); RTCP on port + 1, announced with a=rtcp
  std::vector<CodecPreference> codecs = default_codecs();
  int ptime = 20;                             // milliseconds per packet we send
  Direction direction = Direction::sendrecv;  // sendonly/inactive put the peer on hold
  bool single_codec_answer = true;  // answer one audio codec (+ telephone-event) so that both legs can pass through
  std::string username = "portier";
  std::string session_id = "1";       // o= id; keep it for the dialog
  std::string session_version = "1";  // o= version; the caller increments it for each new offer in a dialog
  std::string session_name = "portier";
};

// The agreed stream: where to send, what to send, and the hold state.
struct NegotiatedMedia {
  std::size_t media_index = 0;  // index of the audio m= line in the SDPs
  std::string remote_address;   // from c= (0.0.0.0 = old-style hold: send nothing)
  std::uint16_t remote_rtp_port = 0;
  std::string remote_rtcp_address;
  std::uint16_t remote_rtcp_port = 0;  // a=rtcp, else RTP port + 1; equal to the RTP port with rtcp-mux
  bool rtcp_mux = false;
  Codec codec;                // the first common audio codec in our priority order
  std::vector<Codec> codecs;  // every agreed audio codec (one with single_codec_answer)
  std::optional<Codec> telephone_event;
  int ptime = 20;                             // the peer's ptime when given, else ours
  Direction direction = Direction::sendrecv;  // our direction: sendrecv = we send and receive
  bool remote_hold = false;  // the peer asked not to receive (sendonly/inactive from its side, or c=0.0.0.0)

  bool we_send() const { return direction == Direction::sendrecv || direction == Direction::sendonly; }
  bool we_receive() const { return direction == Direction::sendrecv || direction == Direction::recvonly; }
  std::string dump() const;
};

struct Answer {
  SessionDescription sdp;
  NegotiatedMedia media;
};

SessionDescription create_offer(const LocalMedia& local);
Result<Answer> create_answer(const SessionDescription& offer, const LocalMedia& local);
Result<NegotiatedMedia> accept_answer(const SessionDescription& offer, const SessionDescription& answer,
                                      const LocalMedia& local);

// Direction as seen from the other side (sendonly <-> recvonly).
Direction reverse(Direction d);
// What both sides allow: the intersection of send/receive permissions.
Direction intersect(Direction a, Direction b);

}  // namespace portier::sdp
