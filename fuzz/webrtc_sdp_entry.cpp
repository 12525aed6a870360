#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_entries.hpp"
#include "sdp/parser.hpp"
#include "webrtc/webrtc_sdp.hpp"

namespace portier::fuzz {

int webrtc_sdp(const std::uint8_t* data, std::size_t size) {
  using namespace portier::webrtc;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto offer = parse_offer(in);
  if (!offer) return 0;
  (void)offer->dump();
  if (offer->audio_index >= offer->sdp.media.size()) std::abort();
  for (const auto& prefs : {std::vector<std::string>{"PCMU", "PCMA"}, std::vector<std::string>{"opus", "PCMU"}}) {
    auto choice = choose_codec(*offer, prefs, true);
    if (!choice) continue;
    (void)choice->dump();
    LocalDescription local;
    local.ice_ufrag = "abcdEFGH";
    local.ice_pwd = "0123456789abcdefghijklmn";
    local.fingerprint = "AA:BB";
    local.address = "192.0.2.1";
    local.port = 40000;
    local.candidates = {"candidate:1 1 udp 2130706431 192.0.2.1 40000 typ host"};
    // Our answer must be valid SDP with one m= line per offered one.
    auto answer = sdp::parse(build_answer(*offer, *choice, local));
    if (!answer || answer->media.size() != offer->sdp.media.size()) std::abort();
  }
  return 0;
}

}  // namespace portier::fuzz
