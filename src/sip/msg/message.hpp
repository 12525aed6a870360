#pragma once
// A parsed SIP request or response. Zero-copy: every view points into the buffer given to parse_message(), which
// the caller must keep alive (and unmoved) for as long as the Message is used. The top Via, From, To and CSeq
// are parsed once, by the parser (validation, the transaction layer and the TU all need them).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "base/result.hpp"
#include "sip/msg/cseq.hpp"
#include "sip/msg/header_id.hpp"
#include "sip/msg/name_addr.hpp"
#include "sip/msg/via.hpp"

namespace portier::sip::msg {

struct Header {
  HeaderId id = HeaderId::other;
  std::string_view name;   // as written (may be compact)
  std::string_view value;  // trimmed; folded lines keep their CRLF + white space
};

class Message {
 public:
  bool is_request() const { return status_ == 0; }
  bool is_response() const { return status_ != 0; }
  std::string_view method() const { return method_; }            // requests
  std::string_view request_uri() const { return request_uri_; }  // requests
  int status() const { return status_; }                         // responses: 100..699
  std::string_view reason() const { return reason_; }            // responses
  std::string_view raw() const { return raw_; }
  std::string_view body() const { return body_; }
  const std::vector<Header>& headers() const { return headers_; }

  // First value of a header, empty when absent.
  std::string_view header(HeaderId id) const;
  // By name, long or compact, or unknown extension headers.
  std::string_view header(std::string_view name) const;
  bool has(HeaderId id) const;
  std::size_t count(HeaderId id) const;
  // Every value of a list header, split on top-level commas across all its header lines, in order.
  Result<std::vector<std::string_view>> values(HeaderId id) const;
  // Every line of a header, unsplit (Authorization, WWW-Authenticate).
  std::vector<std::string_view> lines(HeaderId id) const;

  const Result<Via>& top_via() const { return top_via_; }
  Result<std::vector<Via>> vias() const;
  const Result<CSeq>& cseq() const { return cseq_; }
  const Result<NameAddr>& from() const { return from_; }
  const Result<NameAddr>& to() const { return to_; }
  std::string_view call_id() const { return header(HeaderId::call_id); }
  Result<ContactList> contacts() const;
  // Expires header; nullopt when absent or not a number.
  std::optional<std::uint32_t> expires() const;
  // Max-Forwards; nullopt when absent, error when malformed.
  Result<std::optional<std::uint32_t>> max_forwards() const;

  std::string dump() const;

 private:
  friend class Parser;
  void parse_common();  // fills the four below from headers_
  Result<Via> parse_top_via() const;
  Result<NameAddr> parse_from_to(HeaderId id) const;
  Result<CSeq> parse_cseq_header() const;
  Result<Via> top_via_{Error(errc::invalid_argument, "missing Via")};
  Result<NameAddr> from_{Error(errc::invalid_argument, "missing From")};
  Result<NameAddr> to_{Error(errc::invalid_argument, "missing To")};
  Result<CSeq> cseq_{Error(errc::invalid_argument, "missing CSeq")};
  std::string_view raw_;
  std::string_view method_;
  std::string_view request_uri_;
  int status_ = 0;
  std::string_view reason_;
  std::vector<Header> headers_;
  std::string_view body_;
};

}  // namespace portier::sip::msg
