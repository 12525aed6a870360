#pragma once
// Real SDP bodies captured from peers (tests/data/sdp/).
#include <fstream>
#include <iterator>
#include <string>

namespace portier::sdp::test {

inline std::string sample(const std::string& name) {
  std::ifstream in(std::string(PORTIER_TEST_DATA) + "/sdp/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace portier::sdp::test
