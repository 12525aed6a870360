// Every file of fuzz/corpus/mqtt_payload (seeds and kept crashes) runs through the fuzz entry in the normal build.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "fuzz_entries.hpp"

namespace portier::fuzz {
namespace {

TEST(MqttFuzzReplay, PayloadCorpus) {
  std::size_t n = 0;
  for (const auto& file : std::filesystem::directory_iterator(std::filesystem::path(PORTIER_FUZZ_CORPUS) / "mqtt_payload")) {
    std::ifstream in(file.path(), std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(file.path().string());
    mqtt_payload(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    ++n;
  }
  EXPECT_GT(n, 0u);
}

}  // namespace
}  // namespace portier::fuzz
