#pragma once
// Fuzz entry functions, shared by the libFuzzer targets and the corpus replay unit test.
#include <cstddef>
#include <cstdint>

namespace portier::fuzz {

// Parse as a SIP datagram and as a stream, exercise every accessor and the response builder. Aborts when an
// invariant breaks (a built response must parse back).
int sip_message(const std::uint8_t* data, std::size_t size);
// Parse as an Authorization / WWW-Authenticate value.
int sip_digest(const std::uint8_t* data, std::size_t size);
// Parse as SDP; a parsed offer must serialize and parse back identically, and our answer to it must be accepted.
int sdp(const std::uint8_t* data, std::size_t size);
// Parse as RTP, RTCP compound, telephone-event payload and dtmf-relay body; rewriting must keep a packet valid.
int rtp(const std::uint8_t* data, std::size_t size);

// Guest-pass input: ISO 8601 times in a site time zone (what is printed must parse back), times of day, weekdays,
// PINs, Accept-Language, HTML escaping.
int guest_input(const std::uint8_t* data, std::size_t size);
// Parse as an MQTT lock command, ack and state, and run the device-side guard on it.
int mqtt_payload(const std::uint8_t* data, std::size_t size);
// Parse as STUN (accessors, builder round trip), run the ICE-lite agent on it raw and re-signed with its password,
// and parse as an ICE candidate line (what is printed must parse back).
int stun(const std::uint8_t* data, std::size_t size);
// RFC 7983 classification checked against the byte ranges; STUN-parseable input is always classified STUN.
int webrtc_demux(const std::uint8_t* data, std::size_t size);
// Parse as a browser offer; the codec choice and our answer must give valid SDP with one m= line per offered one.
int webrtc_sdp(const std::uint8_t* data, std::size_t size);
// WebRTC DTLS-SRTP input. data[0] % 4 picks: 0 a server-side DtlsTransport, 1 a client-side one (after its
// ClientHello), each fed the rest as datagrams framed by a 2-byte big-endian length; 2 / 3 SrtpSession::unprotect
// (RTP and RTCP) with a fixed AES-CM / AES-GCM key (bytes 0x10, 0x11, ...). Aborts when an unprotect grows a packet.
int dtls_srtp(const std::uint8_t* data, std::size_t size);

}  // namespace portier::fuzz
