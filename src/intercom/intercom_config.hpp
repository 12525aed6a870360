#pragma once
// Intercom settings as plain structs; the app maps `ring_groups:`, the call keys of `doors:` and `rtp:` onto them.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sdp/codec.hpp"

namespace portier::intercom {

enum class RingStrategy { parallel, sequential };
enum class AnswerMode { first, conference };

struct RingGroup {
  std::string id;                    // dialled as sip:<id>@<domain>
  std::vector<std::string> members;  // extensions ("7002") or browser phones ("webrtc:alice", via MemberResolver)
  RingStrategy strategy = RingStrategy::parallel;
  std::chrono::seconds ring_timeout{30};    // the whole group
  std::chrono::seconds member_timeout{10};  // sequential: each member's turn
  AnswerMode answer = AnswerMode::first;
};

struct DoorCallSettings {
  std::string door;         // access door id
  std::string station;      // the door station's extension ("" = none)
  std::string ring_group;   // "" = nobody is rung
  std::string dtmf_code = "#";
  std::chrono::seconds call_limit{120};
  bool visitor_message = false;
};

struct IntercomOptions {
  std::string media_address = "127.0.0.1";  // the relay address announced in SDP
  std::vector<sdp::CodecPreference> codecs = sdp::default_codecs();
  std::string recordings_dir;               // visitor messages are written here
  std::string visitor_prompt;               // WAV (8 kHz mono 16-bit) played before recording; "" = built-in beep
  std::chrono::seconds visitor_message_max{30};
  int dtmf_max_failures = 5;                // wrong codes per door before DTMF is locked
  std::chrono::seconds dtmf_lockout{300};
  std::chrono::seconds dtmf_digit_timeout{5};  // a partial code is forgotten after this pause
  // Extension-to-extension calls (no door): how long the callee's phones ring, and how long a call may last.
  std::chrono::seconds extension_ring_timeout{60};
  std::chrono::seconds extension_call_limit{3600};
};

}  // namespace portier::intercom
