// libFuzzer target: RFC 7983 demultiplexing of STUN/DTLS/RTP/RTCP on one port.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return portier::fuzz::webrtc_demux(data, size);
}
