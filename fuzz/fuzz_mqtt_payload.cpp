// libFuzzer target: the MQTT lock protocol's payload parsers (command, ack, state) and the device-side guard.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return portier::fuzz::mqtt_payload(data, size);
}
