#pragma once
// Test helper: write SIP messages with '\n' line ends, get CRLF ones.
#include <string>
#include <string_view>

namespace portier::sip::test {

inline std::string crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 32);
  for (char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

inline constexpr std::string_view kRegister =
    "REGISTER sip:portier.local SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKreg1;rport\n"
    "Max-Forwards: 70\n"
    "From: \"Door 1\" <sip:101@portier.local>;tag=fromtag\n"
    "To: <sip:101@portier.local>\n"
    "Call-ID: reg-call-1@192.0.2.10\n"
    "CSeq: 1 REGISTER\n"
    "Contact: <sip:101@192.0.2.10:5062>;expires=3600\n"
    "Content-Length: 0\n"
    "\n";

}  // namespace portier::sip::test
