#include "rtp/rtcp_packet.hpp"

#include "rtp/rtp_error.hpp"

namespace portier::rtp {

Result<RtcpView> parse_rtcp(Bytes d) {
  if (d.size() < 4) return Error(errc::too_short);
  if ((d[0] >> 6) != 2) return Error(errc::bad_version);
  RtcpView v;
  v.padding = (d[0] & 0x20) != 0;
  v.count = d[0] & 0x1f;
  v.type = d[1];
  if (v.type < 192 || v.type > 223) return Error(errc::not_rtcp);
  const std::size_t size = 4u * (std::size_t{load16(&d[2])} + 1);
  if (size > d.size()) return Error(errc::bad_length);
  if (size >= 8) v.ssrc = load32(&d[4]);
  v.packet = d.first(size);
  return v;
}

Status validate_rtcp_compound(Bytes d) {
  if (d.size() < 4) return Error(errc::too_short);
  while (!d.empty()) {
    auto v = parse_rtcp(d);
    if (!v) return v.error();
    const bool last = v->packet.size() == d.size();
    if (v->padding) {
      if (!last) return Error(errc::bad_padding);
      const std::uint8_t pad = v->packet.back();
      if (pad == 0 || pad > v->packet.size() - 4) return Error(errc::bad_padding);
    }
    d = d.subspan(v->packet.size());
  }
  return {};
}

int rewrite_rtcp_ssrc(MutableBytes d, std::uint32_t from, std::uint32_t to) {
  int n = 0;
  std::size_t off = 0;
  while (off + 8 <= d.size()) {
    const std::size_t size = 4u * (std::size_t{load16(&d[off + 2])} + 1);
    if (off + size > d.size()) break;
    if (size >= 8 && load32(&d[off + 4]) == from) {
      store32(&d[off + 4], to);
      ++n;
    }
    off += size;
  }
  return n;
}

}  // namespace portier::rtp
