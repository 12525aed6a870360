#pragma once
// The body of a SIP INFO with Content-Type application/dtmf-relay ("Signal=5\r\nDuration=160\r\n"), as sent by
// Cisco, Asterisk and most ATAs. Pure helper for the SIP layer; the digit vocabulary is the same as RFC 4733's.
#include <chrono>
#include <cstdint>
#include <string_view>

#include "base/result.hpp"

namespace portier::rtp {

struct DtmfInfo {
  char digit = 0;                           // '0'-'9', '*', '#', 'A'-'D'
  std::uint8_t event = 0;                   // RFC 4733 event code of the digit
  std::chrono::milliseconds duration{250};  // Duration= when given, else 250 ms
};

// Keys are case-insensitive, lines end with CRLF or LF, white space around '=' is allowed. Signal may be the digit
// or its event number ("10" = '*', "11" = '#'). errc::bad_value with no or a bad Signal, or a bad Duration.
Result<DtmfInfo> parse_dtmf_relay(std::string_view body);

}  // namespace portier::rtp
