// Every file of fuzz/corpus/stun and fuzz/corpus/webrtc_demux (seeds and kept crashes) runs through the fuzz entry
// functions in the normal build.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "fuzz_entries.hpp"

namespace portier::fuzz {
namespace {

std::size_t replay(const char* corpus, int (*entry)(const std::uint8_t*, std::size_t)) {
  std::size_t n = 0;
  for (const auto& file : std::filesystem::directory_iterator(std::filesystem::path(PORTIER_FUZZ_CORPUS) / corpus)) {
    std::ifstream in(file.path(), std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(file.path().string());
    entry(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    ++n;
  }
  return n;
}

TEST(FuzzReplay, StunCorpus) { EXPECT_GT(replay("stun", &stun), 0u); }
TEST(FuzzReplay, WebrtcDemuxCorpus) { EXPECT_GT(replay("webrtc_demux", &webrtc_demux), 0u); }

}  // namespace
}  // namespace portier::fuzz
