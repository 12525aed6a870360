// libFuzzer target: digest Authorization/WWW-Authenticate parser and generic parameter lists.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return portier::fuzz::sip_digest(data, size);
}
