#pragma once
// DTMF digits and their RFC 4733 event codes: 0-9 -> 0-9, '*' -> 10, '#' -> 11, 'A'-'D' -> 12-15.
#include <cstdint>
#include <optional>

namespace portier::rtp {

std::optional<char> event_to_digit(std::uint8_t event);
std::optional<std::uint8_t> digit_to_event(char digit);  // accepts 'a'-'d' too

}  // namespace portier::rtp
