// libFuzzer target: STUN parser, builder round trip, the ICE-lite agent on raw and re-signed requests, and ICE
// candidate lines.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return portier::fuzz::stun(data, size);
}
