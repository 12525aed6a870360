#pragma once
// The calls, wired: the media engine (rtp: port range), the intercom (ring groups, door calls, DTMF door codes) as
// the SIP server's InviteHandler, call button rings from the doors, and the view the API shows (GET /api/calls).
// Owned by Server after SipModule and DoorsModule (it borrows both); absent when SIP is off.
#include <memory>
#include <string>

#include "api/call_control.hpp"
#include "api/event_stream.hpp"
#include "app/config.hpp"
#include "app/doors_module.hpp"
#include "app/sip_module.hpp"
#include "base/clock.hpp"

namespace boost::asio {
class io_context;
}

namespace portier::intercom {
class Intercom;
}

namespace portier::app {

class CallsModule {
 public:
  // Throws std::invalid_argument for an unusable rtp: section.
  CallsModule(boost::asio::io_context& io, const Clock& clock, SipModule& sip, DoorsModule& doors,
              const Config& config);
  ~CallsModule();
  api::CallControl& control();
  std::string recordings_dir() const;
  // For the browser phone (WebRtcModule): ring-group members "webrtc:<user>" and the media address.
  intercom::Intercom& intercom();
  std::string media_address() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portier::app
