#include "rtp/dtmf.hpp"

namespace portier::rtp {

std::optional<char> event_to_digit(std::uint8_t event) {
  if (event <= 9) return static_cast<char>('0' + event);
  if (event == 10) return '*';
  if (event == 11) return '#';
  if (event <= 15) return static_cast<char>('A' + (event - 12));
  return std::nullopt;
}

std::optional<std::uint8_t> digit_to_event(char d) {
  if (d >= '0' && d <= '9') return static_cast<std::uint8_t>(d - '0');
  if (d == '*') return 10;
  if (d == '#') return 11;
  if (d >= 'A' && d <= 'D') return static_cast<std::uint8_t>(12 + (d - 'A'));
  if (d >= 'a' && d <= 'd') return static_cast<std::uint8_t>(12 + (d - 'a'));
  return std::nullopt;
}

}  // namespace portier::rtp
