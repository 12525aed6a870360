// Every file of fuzz/corpus/fuzz_dtls_srtp (seeds and kept crashes) runs through the fuzz entry function.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "fuzz_entries.hpp"

namespace portier::fuzz {
namespace {

TEST(DtlsSrtpFuzzReplay, Corpus) {
  std::size_t n = 0;
  const auto dir = std::filesystem::path(PORTIER_FUZZ_CORPUS) / "fuzz_dtls_srtp";
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(file.path(), std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(file.path().string());
    dtls_srtp(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    ++n;
  }
  EXPECT_GE(n, 6u);  // the seeds: server and client flights, RTP and RTCP for both profiles
}

}  // namespace
}  // namespace portier::fuzz
