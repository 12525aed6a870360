// libFuzzer target: what guests and hosts send about passes: ISO 8601 times (site time zone round trip), times of
// day, weekdays, PINs, Accept-Language, and the HTML escaping of the guest page.
#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return portier::fuzz::guest_input(data, size);
}
