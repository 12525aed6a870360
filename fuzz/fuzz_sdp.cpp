// libFuzzer target: SDP parser, serializer round trip and offer/answer.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return portier::fuzz::sdp(data, size);
}
