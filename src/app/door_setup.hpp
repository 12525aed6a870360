#pragma once
// Turns the `doors:` config (and, in demo mode, the demo doors `front` and `back`) into validated access::DoorConfig
// values. Problems come back as ConfigError lines (file:line:col of the offending entry), so check-config and serve
// reject a bad door at load, never at the first unlock.
#include <vector>

#include "access/door_config.hpp"
#include "app/config.hpp"

namespace portier::app {

// The demo doors (access::demo_door_configs: front and back, each with a relay, a call button and a door contact on
// the simulated chip: "front.relay", "front.button", "front.contact", "back.relay", ...) as config entries.
std::vector<DoorEntry> demo_door_entries();

struct DoorPlan {
  std::vector<access::DoorConfig> doors;
  std::vector<ConfigError> errors;  // empty when every door is usable
};

DoorPlan plan_doors(const Config& config);
// The `doors:` entries merged with the demo doors (call settings included); duplicates go to `errors` when given.
std::vector<DoorEntry> merged_door_entries(const Config& config, std::vector<ConfigError>* errors = nullptr);

}  // namespace portier::app
