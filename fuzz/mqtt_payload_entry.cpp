#include <string_view>

#include "device/mqtt/command_codec.hpp"
#include "device/mqtt/command_guard.hpp"
#include "fuzz_entries.hpp"

namespace portier::fuzz {

int mqtt_payload(const std::uint8_t* data, std::size_t size) {
  using namespace portier::device::mqtt;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string key = "fuzz-key";
  (void)parse_command(in, key);
  (void)parse_ack(in, key);
  (void)parse_state(in, key);
  CommandGuard guard({"gate", key, 4, std::chrono::seconds(30)});
  auto d = guard.check(in, 1'700'000'000'000);
  (void)serialize(guard.ack_for(d, 1'700'000'000'000), key);
  // A command that parsed must serialize back to one that parses to the same values.
  if (auto c = parse_command(in, key)) {
    auto again = parse_command(serialize(*c, key), key);
    if (!again || again->counter != c->counter || again->device != c->device) __builtin_trap();
  }
  return 0;
}

}  // namespace portier::fuzz
