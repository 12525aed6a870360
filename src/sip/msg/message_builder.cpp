#include "sip/msg/message_builder.hpp"

#include <algorithm>

#include "base/strings.hpp"
#include "sip/msg/lexer.hpp"

namespace portier::sip::msg {

MessageBuilder MessageBuilder::request(std::string_view method, std::string_view uri) {
  std::string line;
  line.reserve(method.size() + uri.size() + 10);
  line.append(method).append(" ").append(uri).append(" SIP/2.0");
  return MessageBuilder(std::move(line));
}

MessageBuilder MessageBuilder::response(int status, std::string_view reason) {
  if (reason.empty()) reason = default_reason(status);
  std::string line = "SIP/2.0 " + std::to_string(status) + " ";
  line.append(reason);
  return MessageBuilder(std::move(line));
}

MessageBuilder& MessageBuilder::add(std::string_view name, std::string_view value) {
  headers_.emplace_back(std::string(name), std::string(value));
  return *this;
}

MessageBuilder& MessageBuilder::prepend(std::string_view name, std::string_view value) {
  headers_.emplace(headers_.begin(), std::string(name), std::string(value));
  return *this;
}

MessageBuilder& MessageBuilder::set(std::string_view name, std::string_view value) {
  for (auto& h : headers_) {
    if (iequals(h.first, name)) {
      h.second = std::string(value);
      return *this;
    }
  }
  return add(name, value);
}

MessageBuilder& MessageBuilder::remove(std::string_view name) {
  std::erase_if(headers_, [&](const auto& h) { return iequals(h.first, name); });
  return *this;
}

MessageBuilder& MessageBuilder::body(std::string_view content_type, std::string_view body) {
  content_type_ = std::string(content_type);
  body_ = std::string(body);
  return *this;
}

std::string MessageBuilder::serialize() const {
  std::size_t size = start_line_.size() + body_.size() + content_type_.size() + 64;
  for (const auto& h : headers_) size += h.first.size() + h.second.size() + 4;
  std::string out;
  out.reserve(size);
  out.append(start_line_).append("\r\n");
  for (const auto& h : headers_) out.append(h.first).append(": ").append(h.second).append("\r\n");
  if (!body_.empty() && !content_type_.empty()) out.append("Content-Type: ").append(content_type_).append("\r\n");
  out.append("Content-Length: ").append(std::to_string(body_.size())).append("\r\n\r\n");
  out.append(body_);
  return out;
}

MessageBuilder make_response(const Message& request, int status, std::string_view reason, std::string_view to_tag,
                             std::string_view top_via) {
  auto b = MessageBuilder::response(status, reason);
  bool first_via = true;
  for (const auto& h : request.headers()) {
    if (h.id != HeaderId::via) continue;
    // A Via line may carry several values; only the very first one may be replaced.
    if (first_via && !top_via.empty()) {
      const auto comma = find_top_level(h.value, ',');
      std::string value(top_via);
      if (comma != std::string_view::npos) value.append(", ").append(trim_lws(h.value.substr(comma + 1)));
      b.add("Via", value);
    } else {
      b.add("Via", h.value);
    }
    first_via = false;
  }
  b.add("From", request.header(HeaderId::from));
  const auto to = request.header(HeaderId::to);
  const auto& to_addr = request.to();
  if (status > 100 && !to_tag.empty() && to_addr && to_addr->tag().empty()) {
    b.add("To", std::string(to) + ";tag=" + std::string(to_tag));
  } else {
    b.add("To", to);
  }
  b.add("Call-ID", request.call_id());
  b.add("CSeq", request.header(HeaderId::cseq));
  return b;
}

std::string_view default_reason(int status) {
  switch (status) {
    case 100: return "Trying";
    case 180: return "Ringing";
    case 183: return "Session Progress";
    case 200: return "OK";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 415: return "Unsupported Media Type";
    case 416: return "Unsupported URI Scheme";
    case 420: return "Bad Extension";
    case 423: return "Interval Too Brief";
    case 481: return "Call/Transaction Does Not Exist";
    case 482: return "Loop Detected";
    case 483: return "Too Many Hops";
    case 486: return "Busy Here";
    case 487: return "Request Terminated";
    case 488: return "Not Acceptable Here";
    case 500: return "Server Internal Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "Version Not Supported";
    case 513: return "Message Too Large";
    case 603: return "Decline";
    default: break;
  }
  if (status < 200) return "Provisional";
  if (status < 300) return "OK";
  if (status < 400) return "Redirect";
  if (status < 500) return "Client Error";
  if (status < 600) return "Server Error";
  return "Global Failure";
}

}  // namespace portier::sip::msg
