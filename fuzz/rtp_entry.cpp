#include <cstdlib>
#include <string_view>
#include <vector>

#include "fuzz_entries.hpp"
#include "rtp/dtmf_info.hpp"
#include "rtp/rtcp_packet.hpp"
#include "rtp/rtp_packet.hpp"
#include "rtp/stream_rewriter.hpp"
#include "rtp/telephone_event.hpp"

namespace portier::fuzz {

int rtp(const std::uint8_t* data, std::size_t size) {
  using namespace portier::rtp;
  const Bytes in(data, size);
  std::vector<std::uint8_t> copy(data, data + size);

  if (auto h = parse_rtp(in)) {
    (void)h->dump();
    if (h->header_size + h->payload.size() > size) std::abort();
    TelephoneEventDetector detector;
    (void)detector.on_packet(h->timestamp, h->payload);
    (void)detector.on_packet(h->timestamp + 1, h->payload);
    (void)detector.flush();
    // Rewriting touches only the fixed header: the packet must still parse, with the same payload.
    StreamRewriter rewriter(1, 2, 3);
    rewriter.rewrite(copy, *h, std::chrono::milliseconds(20));
    auto after = parse_rtp(copy);
    if (!after || after->payload.size() != h->payload.size() || after->ssrc != 1) std::abort();
  }
  if (validate_rtcp_compound(in)) {
    std::size_t total = 0;
    for_each_rtcp(in, [&](const RtcpView& v) { total += v.packet.size(); });
    if (total != size) std::abort();
    copy.assign(data, data + size);
    (void)rewrite_rtcp_ssrc(copy, 0, 1);
    if (!validate_rtcp_compound(copy)) std::abort();
  }
  (void)parse_telephone_event(in);
  (void)parse_dtmf_relay(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

}  // namespace portier::fuzz
