#include "access/network_device.hpp"

#include "base/error.hpp"

namespace portier::access {

std::string_view to_string(DeviceProtocol p) {
  return p == DeviceProtocol::native ? "native" : "legacy-doorlock";
}

Result<DeviceProtocol> parse_device_protocol(std::string_view text) {
  if (text == "native") return DeviceProtocol::native;
  if (text == "legacy-doorlock") return DeviceProtocol::legacy_doorlock;
  return Error(errc::invalid_argument, "unknown device protocol '" + std::string(text) +
                                           "' (expected native or legacy-doorlock)");
}

}  // namespace portier::access
