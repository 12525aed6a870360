// libFuzzer target: SIP message parser, stream framer and response builder.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return portier::fuzz::sip_message(data, size);
}
