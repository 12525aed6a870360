// libFuzzer target: RTP header, RTCP compound, telephone-event payload and dtmf-relay body parsers.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return portier::fuzz::rtp(data, size);
}
