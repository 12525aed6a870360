#pragma once
// Wiring helper for the app: resolves each door's relay, contact and button line specs through the LineRegistry and
// adds the door to the DoorService. Errors name the door, the role and the line, e.g.
// "door 'front' relay: gpio chip 'gpiochip0' cannot be opened: No such file or directory (needed for line 17)".
#include <vector>

#include "access/door_config.hpp"
#include "access/door_service.hpp"
#include "base/result.hpp"
#include "device/line_registry.hpp"

namespace portier::device {

// Validates the whole list first (validate_doors), then adds the doors in order; stops at the first error.
Status add_doors(LineRegistry& lines, access::DoorService& service, const std::vector<access::DoorConfig>& doors);

}  // namespace portier::device
