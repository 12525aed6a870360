#include <string_view>

#include "fuzz_entries.hpp"
#include "sip/msg/digest_params.hpp"
#include "sip/msg/params.hpp"

namespace portier::fuzz {

int sip_digest(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto d = sip::msg::parse_digest(in)) (void)d->dump();
  (void)sip::msg::parse_params(in);
  (void)sip::msg::find_param(in, "nonce");
  return 0;
}

}  // namespace portier::fuzz
