#pragma once
// Records what a DoorService (or a PassService) reports to its Listener, for the access and device tests.
#include <algorithm>
#include <string>
#include <vector>

#include "access/door_service.hpp"

namespace portier::access::test {

struct EventLog : DoorService::Listener {
  std::vector<Event> events;
  void on_door_event(const Event& e) override { events.push_back(e); }
  std::vector<std::string> types() const {
    std::vector<std::string> out;
    for (const auto& e : events) out.emplace_back(to_string(e.type));
    return out;
  }
  int count(EventType type) const {
    return static_cast<int>(std::count_if(events.begin(), events.end(), [type](const Event& e) { return e.type == type; }));
  }
};

}  // namespace portier::access::test
