#pragma once
// The browser phone, wired (issue #8): the DTLS certificate, a media engine over features.webrtc.rtp's port range,
// the intercom::BrowserPhones gateway (ring-group members "webrtc:<user>", calls to extensions) and the view the API
// uses (api::WebRtcControl). Owned by Server after CallsModule (borrows it and the SIP module); absent when
// features.webrtc.enabled is false or SIP is off.
#include <memory>

#include "api/webrtc_control.hpp"
#include "app/calls_module.hpp"
#include "app/config.hpp"
#include "app/sip_module.hpp"
#include "base/clock.hpp"

namespace boost::asio {
class io_context;
}

namespace portier::app {

class WebRtcModule {
 public:
  // Throws std::runtime_error when the certificate cannot be made/read or there is no UDP SIP listener.
  WebRtcModule(boost::asio::io_context& io, const Clock& clock, SipModule& sip, CallsModule& calls,
               const Config& config);
  ~WebRtcModule();
  // After the SIP server started (the gateway needs its UDP listener).
  void start();
  api::WebRtcControl& control();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portier::app
