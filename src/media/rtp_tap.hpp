#pragma once
// A read-only listener on an RTP stream (recorder, DTMF or level meters): called with each valid RTP packet a leg
// receives, before it is forwarded. The view is only valid during the call.
#include "rtp/rtp_packet.hpp"

namespace portier::media {

class RtpTap {
 public:
  virtual ~RtpTap() = default;
  virtual void on_rtp_packet(const rtp::RtpView& packet) = 0;
};

}  // namespace portier::media
