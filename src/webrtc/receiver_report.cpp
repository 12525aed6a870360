#include "webrtc/receiver_report.hpp"

#include <algorithm>
#include <cstdlib>

#include "rtp/bytes.hpp"

namespace portier::webrtc {

void ReceiverReport::on_rtp(const rtp::RtpView& h, Clock::SteadyTime arrival, int clock_rate) {
  if (ssrc_ != h.ssrc) {
    *this = ReceiverReport{};
    ssrc_ = h.ssrc;
    base_seq_ = max_seq_ = h.sequence;
  } else {
    const int delta = rtp::sequence_delta(h.sequence, max_seq_);
    if (delta > 0) {
      if (h.sequence < max_seq_) cycles_ += 1;  // wrapped
      max_seq_ = h.sequence;
    }
  }
  ++received_;
  const auto units = std::chrono::duration_cast<std::chrono::microseconds>(arrival.time_since_epoch()).count() *
                     clock_rate / 1'000'000;
  const std::int64_t transit = units - static_cast<std::int64_t>(h.timestamp);
  if (have_transit_) {
    const auto d = static_cast<std::uint64_t>(std::llabs(transit - last_transit_)) % (1ull << 32);
    // J += (|D| - J) / 16, kept scaled by 16.
    jitter_ = jitter_ + d - ((jitter_ + 8) >> 4);
  }
  last_transit_ = transit;
  have_transit_ = true;
}

void ReceiverReport::on_sender_report(std::uint32_t ssrc, std::uint32_t ntp_middle, Clock::SteadyTime arrival) {
  if (ssrc_ && *ssrc_ != ssrc) return;
  last_sr_ = ntp_middle;
  last_sr_arrival_ = arrival;
}

std::size_t ReceiverReport::write(std::span<std::uint8_t> out, std::uint32_t sender_ssrc, std::string_view cname,
                                  Clock::SteadyTime now) {
  const std::size_t blocks = ssrc_ ? 1 : 0;
  const std::size_t rr = 8 + 24 * blocks;
  const std::size_t cname_len = std::min<std::size_t>(cname.size(), 255);
  // SDES: header, SSRC, CNAME item (type, length, text), END, padded to 32 bits.
  const std::size_t sdes = (4 + 4 + 2 + cname_len + 1 + 3) / 4 * 4;
  if (out.size() < rr + sdes) return 0;
  auto* p = out.data();
  p[0] = static_cast<std::uint8_t>(0x80 | blocks);
  p[1] = 201;
  rtp::store16(p + 2, static_cast<std::uint16_t>(rr / 4 - 1));
  rtp::store32(p + 4, sender_ssrc);
  if (ssrc_) {
    auto* b = p + 8;
    const std::uint64_t extended_max = (std::uint64_t{cycles_} << 16) + max_seq_;
    const std::uint64_t expected = extended_max - base_seq_ + 1;
    const std::int64_t lost = static_cast<std::int64_t>(expected) - static_cast<std::int64_t>(received_);
    const auto expected_interval = expected - expected_prior_;
    const auto received_interval = received_ - received_prior_;
    expected_prior_ = expected;
    received_prior_ = received_;
    const auto lost_interval = static_cast<std::int64_t>(expected_interval) - static_cast<std::int64_t>(received_interval);
    const std::uint8_t fraction =
        (expected_interval == 0 || lost_interval <= 0) ? 0 : static_cast<std::uint8_t>((lost_interval << 8) / static_cast<std::int64_t>(expected_interval));
    const auto clamped = std::clamp<std::int64_t>(lost, -0x800000, 0x7fffff);
    rtp::store32(b, *ssrc_);
    rtp::store32(b + 4, (std::uint32_t{fraction} << 24) | (static_cast<std::uint32_t>(clamped) & 0xffffff));
    rtp::store32(b + 8, static_cast<std::uint32_t>(extended_max));
    rtp::store32(b + 12, jitter());
    rtp::store32(b + 16, last_sr_arrival_ ? last_sr_ : 0);
    std::uint32_t dlsr = 0;
    if (last_sr_arrival_) {
      const auto since = std::chrono::duration_cast<std::chrono::microseconds>(now - *last_sr_arrival_).count();
      dlsr = static_cast<std::uint32_t>(since * 65536 / 1'000'000);  // units of 1/65536 s
    }
    rtp::store32(b + 20, dlsr);
  }
  auto* s = p + rr;
  s[0] = 0x81;
  s[1] = 202;
  rtp::store16(s + 2, static_cast<std::uint16_t>(sdes / 4 - 1));
  rtp::store32(s + 4, sender_ssrc);
  s[8] = 1;  // CNAME
  s[9] = static_cast<std::uint8_t>(cname_len);
  std::copy_n(cname.data(), cname_len, s + 10);
  std::fill(s + 10 + cname_len, s + sdes, std::uint8_t{0});  // END item and padding
  return rr + sdes;
}

std::string ReceiverReport::dump() const {
  return "ReceiverReport{ssrc=" + (ssrc_ ? std::to_string(*ssrc_) : std::string("-")) +
         " received=" + std::to_string(received_) + " max_seq=" + std::to_string(max_seq_) +
         " jitter=" + std::to_string(jitter()) + "}";
}

}  // namespace portier::webrtc
