// libFuzzer target: browser SDP offers through parse_offer, choose_codec and build_answer.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return portier::fuzz::webrtc_sdp(data, size);
}
