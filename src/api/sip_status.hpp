#pragma once
// What the API shows of the SIP server (GET /api/sip/registrations, GET /api/sip/extensions). Implemented by the app
// over sip::ua::SipServer, so api does not depend on sip.
#include <string>
#include <vector>

#include "base/clock.hpp"

namespace portier::api {

struct RegistrationView {
  std::string extension;
  std::string contact;
  Clock::SystemTime expires_at{};
  std::string transport;   // "udp" | "tcp" | "tls"
  std::string source;      // "udp:203.0.113.7:40312": where it registered from (received/rport)
  std::string user_agent;
  bool behind_nat = false;
};

struct ExtensionView {
  std::string number;
  std::string display_name;
  std::string role;
  std::size_t registrations = 0;
};

class SipStatus {
 public:
  virtual ~SipStatus() = default;
  virtual std::vector<RegistrationView> registrations() const = 0;
  virtual std::vector<ExtensionView> extensions() const = 0;
  virtual std::vector<std::string> listening() const = 0;
};

}  // namespace portier::api
