#pragma once
// Codec preferences (from configuration) and the codecs a negotiation settles on.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/session_description.hpp"

namespace portier::sdp {

// One configured codec. The app maps YAML onto a list of these; lower `priority` is preferred, ties keep list
// order. `payload_type` is what we offer (static types must keep their RFC 3551 number).
struct CodecPreference {
  std::string name;  // rtpmap encoding name, compared case-insensitively: "PCMU", "PCMA", "telephone-event"
  int payload_type = 0;
  int clock_rate = 8000;
  int channels = 1;
  bool enabled = true;
  int priority = 0;
  std::string fmtp;  // offered fmtp ("0-16" for telephone-event), empty for none
};

// PCMU 0, PCMA 8, telephone-event 101 (events 0-16), in that priority.
std::vector<CodecPreference> default_codecs();

// Enabled preferences sorted by priority (stable).
std::vector<CodecPreference> ordered(const std::vector<CodecPreference>& prefs);

struct Codec {
  std::string name;
  int payload_type = 0;  // as used on the wire in this stream (the offerer's number)
  int clock_rate = 8000;
  int channels = 1;
  std::string fmtp;
  bool is_telephone_event() const;
  bool operator==(const Codec&) const = default;
};

// Does the stream's payload type `pt` carry the preferred codec? Matches by rtpmap name/rate/channels (static
// types without rtpmap by their RFC 3551 definition).
std::optional<Codec> match(const MediaDescription& m, int pt, const CodecPreference& pref);

}  // namespace portier::sdp
