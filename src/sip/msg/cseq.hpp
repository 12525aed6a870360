#pragma once
// CSeq: sequence number and method (RFC 3261 §20.16).
#include <cstdint>
#include <string_view>

#include "base/result.hpp"

namespace portier::sip::msg {

struct CSeq {
  std::uint32_t number = 0;  // < 2^31
  std::string_view method;
};

Result<CSeq> parse_cseq(std::string_view value);

}  // namespace portier::sip::msg
