#pragma once
// Builds requests and responses as text. Headers keep the order they were added; Content-Length is always written.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/msg/message.hpp"

namespace portier::sip::msg {

class MessageBuilder {
 public:
  static MessageBuilder request(std::string_view method, std::string_view uri);
  static MessageBuilder response(int status, std::string_view reason = {});

  MessageBuilder& add(std::string_view name, std::string_view value);
  // Inserts before every other header (a new top Via).
  MessageBuilder& prepend(std::string_view name, std::string_view value);
  // Replaces the first header called `name` (case-insensitive) or appends one.
  MessageBuilder& set(std::string_view name, std::string_view value);
  MessageBuilder& remove(std::string_view name);
  MessageBuilder& body(std::string_view content_type, std::string_view body);

  std::string serialize() const;
  std::string dump() const { return start_line_; }

 private:
  explicit MessageBuilder(std::string start_line) : start_line_(std::move(start_line)) {}
  std::string start_line_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string content_type_;
  std::string body_;
};

// A response to `request`: all Via values in order (`top_via`, when given, replaces the first one, e.g. with
// received/rport added), From, To (with `to_tag` added when To has no tag and status > 100), Call-ID and CSeq.
MessageBuilder make_response(const Message& request, int status, std::string_view reason = {},
                             std::string_view to_tag = {}, std::string_view top_via = {});

std::string_view default_reason(int status);

}  // namespace portier::sip::msg
