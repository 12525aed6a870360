// Every file of fuzz/corpus/webrtc_sdp (seeds and kept crashes) runs through the fuzz entry function.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "fuzz_entries.hpp"

namespace portier::fuzz {
namespace {

TEST(FuzzReplay, WebRtcSdpCorpus) {
  std::size_t n = 0;
  for (const auto& file :
       std::filesystem::directory_iterator(std::filesystem::path(PORTIER_FUZZ_CORPUS) / "webrtc_sdp")) {
    std::ifstream in(file.path(), std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(file.path().string());
    webrtc_sdp(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    ++n;
  }
  EXPECT_GE(n, 4u);
}

}  // namespace
}  // namespace portier::fuzz
