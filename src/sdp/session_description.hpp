#pragma once
// An SDP session description (RFC 4566) as plain, editable values. Unlike the zero-copy SIP parser this model owns
// its strings: descriptions are small (a few hundred bytes), live as long as a call, and are edited to build
// answers and re-offers, so views into a datagram would only move the copy elsewhere.
//
// Lines we do not model (i=, u=, e=, p=, r=, z=, k=) and every attribute are kept in order, so that what WebRTC
// needs later (ice-ufrag, ice-pwd, candidate, fingerprint, setup, mid, rtcp-mux, ssrc, fmtp) survives a
// parse/serialize round trip and stays reachable through find_attribute()/attributes().
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portier::sdp {

// "a=name:value" (has_value) or the flag "a=name".
struct Attribute {
  std::string name;
  std::string value;
  bool has_value = false;
};

// A line kept verbatim: type letter and value ("i", "Session info").
struct Field {
  char type = 0;
  std::string value;
};

struct Connection {
  std::string net_type = "IN";
  std::string addr_type = "IP4";                                 // "IP4" or "IP6"
  std::string address;                                           // as written; multicast "/ttl" suffixes are kept
  bool is_hold_address() const { return address == "0.0.0.0"; }  // RFC 2543-style hold
};

struct Origin {
  std::string username = "-";
  std::string session_id = "0";  // digits; kept as text (they may exceed 64 bits in the wild)
  std::string session_version = "0";
  Connection address;
};

enum class Direction { sendrecv, sendonly, recvonly, inactive };
std::string_view to_string(Direction d);
std::optional<Direction> direction_from_string(std::string_view s);

struct RtpMap {
  int payload_type = 0;
  std::string encoding;  // "PCMU", "telephone-event", "opus"
  int clock_rate = 8000;
  int channels = 1;
};

// a=rtcp:port [nettype addrtype address] (RFC 3605)
struct RtcpAttribute {
  std::uint16_t port = 0;
  std::optional<Connection> connection;
};

// Attribute lookup shared by the session and each media section.
class AttributeList {
 public:
  std::vector<Attribute>& items() { return items_; }
  const std::vector<Attribute>& items() const { return items_; }
  // First attribute of that name (case-sensitive as RFC 4566 defines them), or null.
  const Attribute* find(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  // Values of every attribute of that name, in order ("candidate" lines, "ssrc" lines, "fmtp" lines).
  std::vector<std::string_view> values(std::string_view name) const;
  void add(std::string name, std::string value);
  void add_flag(std::string name);
  void remove(std::string_view name);
  // The direction attribute, if any.
  std::optional<Direction> direction() const;
  void set_direction(Direction d);

 private:
  std::vector<Attribute> items_;
};

struct MediaDescription {
  std::string media = "audio";  // audio, video, application, ...
  std::uint16_t port = 0;       // 0 = stream rejected/disabled
  int port_count = 1;
  std::string proto = "RTP/AVP";
  std::vector<std::string> formats;  // payload types as written ("0", "8", "101")
  std::vector<Field> fields;         // i= and k= lines
  std::optional<Connection> connection;
  std::vector<std::string> bandwidths;  // b= values
  AttributeList attributes;

  bool is_rtp() const;  // proto is RTP/AVP, RTP/AVPF, RTP/SAVP(F) or UDP/TLS/RTP/SAVP(F)
  // rtpmap for a payload type; static types 0..34 without an rtpmap get their RFC 3551 definition.
  std::optional<RtpMap> rtpmap(int payload_type) const;
  // fmtp parameters for a payload type ("0-16"), empty when absent.
  std::string_view fmtp(int payload_type) const;
  std::optional<int> ptime() const;
  std::optional<RtcpAttribute> rtcp() const;
  bool rtcp_mux() const { return attributes.has("rtcp-mux"); }
  // Payload types in offered order; formats that are not numbers 0..127 are skipped.
  std::vector<int> payload_types() const;
};

struct SessionDescription {
  int version = 0;
  Origin origin;
  std::string session_name = "-";
  std::vector<Field> fields;  // i=, u=, e=, p=, r=, z=, k= in the order read
  std::optional<Connection> connection;
  std::vector<std::string> bandwidths;
  std::vector<std::string> timings = {"0 0"};  // t= values
  AttributeList attributes;
  std::vector<MediaDescription> media;

  // Effective connection of a stream: its own c= line, else the session's; null when neither.
  const Connection* connection_for(const MediaDescription& m) const;
  // Effective direction of a stream: its own attribute, else the session's, else sendrecv.
  Direction direction_for(const MediaDescription& m) const;
  std::string dump() const;
};

}  // namespace portier::sdp
