// Every file of the fuzz corpora (seeds and kept crashes) runs through the fuzz entry functions, so that each
// crash once found stays a regression test in the normal build.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "fuzz_entries.hpp"

namespace portier::fuzz {
namespace {

namespace fs = std::filesystem;

template <class F>
std::size_t replay(const std::string& target, F&& entry) {
  std::size_t n = 0;
  for (const auto& file : fs::directory_iterator(fs::path(PORTIER_FUZZ_CORPUS) / target)) {
    std::ifstream in(file.path(), std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(file.path().string());
    entry(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    ++n;
  }
  return n;
}

TEST(FuzzReplay, SipMessageCorpus) { EXPECT_GT(replay("sip_message", sip_message), 0u); }
TEST(FuzzReplay, SipDigestCorpus) { EXPECT_GT(replay("sip_digest", sip_digest), 0u); }

}  // namespace
}  // namespace portier::fuzz
