#include <cstdlib>

#include "fuzz_entries.hpp"
#include "webrtc/stun/demux.hpp"
#include "webrtc/stun/stun_message.hpp"

namespace portier::fuzz {

int webrtc_demux(const std::uint8_t* data, std::size_t size) {
  using namespace portier::webrtc::stun;
  const std::span<const std::uint8_t> in(data, size);
  const PacketKind kind = classify(in);
  const int b0 = size > 0 ? data[0] : -1;
  const int b1 = size > 1 ? data[1] : -1;
  // The RFC 7983 ranges as an independent oracle.
  switch (kind) {
    case PacketKind::stun:
      if (b0 > 3 || !looks_like_stun(in)) std::abort();
      if (auto m = parse(in)) (void)m->dump();
      break;
    case PacketKind::dtls:
      if (b0 < 20 || b0 > 63 || size < 13) std::abort();
      break;
    case PacketKind::rtp:
      if (b0 < 128 || b0 > 191 || (b1 >= 192 && b1 <= 223) || size < 12) std::abort();
      break;
    case PacketKind::rtcp:
      if (b0 < 128 || b0 > 191 || b1 < 192 || b1 > 223 || size < 8) std::abort();
      break;
    case PacketKind::unknown:
      if (b0 >= 0 && b0 <= 3 && looks_like_stun(in)) std::abort();
      break;
  }
  // Whatever parses as STUN with a first byte 0..3 is routed to STUN (methods above 0x3F are not demultiplexed).
  if (b0 >= 0 && b0 <= 3 && parse(in) && kind != PacketKind::stun) std::abort();
  return 0;
}

}  // namespace portier::fuzz
