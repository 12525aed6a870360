#include "rtp/rtp_packet.hpp"

#include "rtp/rtp_error.hpp"

namespace portier::rtp {

Result<RtpView> parse_rtp(Bytes d) {
  if (d.size() < kRtpHeaderSize) return Error(errc::too_short);
  const std::uint8_t b0 = d[0];
  if ((b0 >> 6) != 2) return Error(errc::bad_version);
  RtpView v;
  v.padding = (b0 & 0x20) != 0;
  v.extension = (b0 & 0x10) != 0;
  v.csrc_count = b0 & 0x0f;
  v.marker = (d[1] & 0x80) != 0;
  v.payload_type = d[1] & 0x7f;
  v.sequence = load16(&d[2]);
  v.timestamp = load32(&d[4]);
  v.ssrc = load32(&d[8]);
  std::size_t size = kRtpHeaderSize + 4u * v.csrc_count;
  if (d.size() < size) return Error(errc::too_short);
  if (v.extension) {
    // Extension header: 16-bit profile, 16-bit length in 32-bit words, then the words.
    if (d.size() < size + 4) return Error(errc::too_short);
    size += 4 + 4u * load16(&d[size + 2]);
    if (d.size() < size) return Error(errc::too_short);
  }
  std::size_t end = d.size();
  if (v.padding) {
    const std::uint8_t pad = d[d.size() - 1];
    if (pad == 0 || pad > d.size() - size) return Error(errc::bad_padding);
    end -= pad;
  }
  v.header_size = size;
  v.payload = d.subspan(size, end - size);
  return v;
}

bool is_rtcp(Bytes d) { return d.size() >= 2 && d[1] >= 192 && d[1] <= 223; }

void write_rtp_header(MutableBytes out, const RtpFields& f) {
  out[0] = 0x80;
  out[1] = static_cast<std::uint8_t>((f.marker ? 0x80 : 0) | (f.payload_type & 0x7f));
  store16(&out[2], f.sequence);
  store32(&out[4], f.timestamp);
  store32(&out[8], f.ssrc);
}

void set_payload_type(MutableBytes p, std::uint8_t pt) {
  p[1] = static_cast<std::uint8_t>((p[1] & 0x80) | (pt & 0x7f));
}
void set_marker(MutableBytes p, bool marker) { p[1] = static_cast<std::uint8_t>((p[1] & 0x7f) | (marker ? 0x80 : 0)); }
void set_sequence(MutableBytes p, std::uint16_t seq) { store16(&p[2], seq); }
void set_timestamp(MutableBytes p, std::uint32_t ts) { store32(&p[4], ts); }
void set_ssrc(MutableBytes p, std::uint32_t ssrc) { store32(&p[8], ssrc); }

std::string RtpView::dump() const {
  return "Rtp{pt=" + std::to_string(payload_type) + " seq=" + std::to_string(sequence) +
         " ts=" + std::to_string(timestamp) + " ssrc=" + std::to_string(ssrc) + (marker ? " M" : "") +
         " payload=" + std::to_string(payload.size()) + "}";
}

}  // namespace portier::rtp
