#pragma once
// The doors that exist with `demo: true`: `front` and `back`, each with a relay, a call button and a door contact on
// the simulated chip (lines "<id>.relay", "<id>.button", "<id>.contact"). The app applies `doors:` entries on top:
// an entry with id front/back overrides only the keys it names, other entries add doors.
#include <vector>

#include "access/door_config.hpp"

namespace portier::access {

std::vector<DoorConfig> demo_door_configs();

}  // namespace portier::access
