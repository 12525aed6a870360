#include "sip/msg/cseq.hpp"

#include "base/error.hpp"
#include "sip/msg/lexer.hpp"

namespace portier::sip::msg {

Result<CSeq> parse_cseq(std::string_view value) {
  auto v = trim_lws(value);
  std::size_t i = 0;
  while (i < v.size() && !is_lws(v[i])) ++i;
  auto number = parse_uint(v.substr(0, i), 0x7fffffffu);
  if (!number) return Error(errc::invalid_argument, "bad CSeq number");
  auto method = trim_lws(v.substr(i));
  if (!is_token(method)) return Error(errc::invalid_argument, "bad CSeq method");
  return CSeq{*number, method};
}

}  // namespace portier::sip::msg
