#pragma once
// Datagram/frame -> Message. Syntax only; validate_request()/validate_response() check what RFC 3261 §8.1.1
// requires of every message, so that the caller can answer 400 with the reason.
#include <cstddef>
#include <string_view>

#include "base/result.hpp"
#include "sip/msg/message.hpp"

namespace portier::sip::msg {

struct Limits {
  std::size_t max_message = 65535;  // whole message (UDP datagram or TCP frame)
  std::size_t max_headers = 96;
  std::size_t max_line = 8192;      // one (unfolded) header line or the start line
};

// Views in the result point into `data`. Leading CRLFs are skipped (RFC 3261 §7.5). A Content-Length larger than
// the data is an error; bytes beyond it are ignored. Without Content-Length the rest is the body (datagrams).
Result<Message> parse_message(std::string_view data, const Limits& limits = {});

// Via, From, To, Call-ID, CSeq present and well-formed, CSeq method matching the request method.
Status validate_request(const Message& m);
Status validate_response(const Message& m);

class Parser {
 public:
  static Result<Message> parse(std::string_view data, const Limits& limits);

 private:
  static Status parse_start_line(std::string_view line, Message& m);
  static Status parse_headers(std::string_view block, const Limits& limits, Message& m);
  static Status parse_body(std::string_view rest, Message& m);
};

}  // namespace portier::sip::msg
