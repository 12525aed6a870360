#pragma once
// What the API shows and controls of the calls (GET /api/calls, DELETE /api/calls/{id}). Implemented by the app
// over intercom::Intercom, so that routes stay free of SIP and media types.
#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.hpp"

namespace portier::api {

struct CallLegView {
  std::uint64_t id = 0;
  std::string role;  // "door" | "member" | "resident"
  std::string extension;
  std::string state;
};

struct CallView {
  std::uint64_t id = 0;
  std::string door;
  std::string state;  // "calling_station" | "ringing" | "answered" | "message"
  std::string ring_group;
  std::string answered_by;
  Clock::SystemTime started{};
  std::vector<CallLegView> legs;
};

class CallControl {
 public:
  virtual ~CallControl() = default;
  virtual std::vector<CallView> calls() const = 0;
  // False when there is no such call.
  virtual bool hangup(std::uint64_t id) = 0;
};

}  // namespace portier::api
